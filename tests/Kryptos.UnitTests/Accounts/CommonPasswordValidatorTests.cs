using Kryptos.Connect.Accounts;
using Kryptos.Connect.Core;
using Microsoft.AspNetCore.Identity;

namespace Kryptos.UnitTests.Accounts;

public sealed class CommonPasswordValidatorTests
{
    private const string Email = "Ada.Lovelace@Example.com";

    [Theory]
    [InlineData("password")]
    [InlineData("PASSWORD")]
    [InlineData("PaSsWoRd")]
    [InlineData("12345678")]
    [InlineData("iloveyou")]
    [InlineData("bAsEbAlL")]
    [InlineData("  letmein1  ")]
    public async Task CommonPassword_IsRefusedWhateverItsCase(string password)
    {
        var result = await ValidateAsync(password);

        Assert.False(result.Succeeded);
        Assert.Equal("PasswordTooCommon", Assert.Single(result.Errors).Code);
        Assert.True(CommonPasswordValidator.IsCommon(password));
    }

    [Theory]
    [InlineData(Email)]
    [InlineData("ada.lovelace@example.com")]
    [InlineData("ADA.LOVELACE@EXAMPLE.COM")]
    public async Task EmailAddressAsPassword_IsRefused(string password)
    {
        var result = await ValidateAsync(password);

        Assert.False(result.Succeeded);
        Assert.Equal("PasswordIsEmail", Assert.Single(result.Errors).Code);
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("Lighthouse-Marmalade-1843")]
    [InlineData("password but much longer than that")]
    public async Task UncommonPassphrase_IsAccepted(string password)
    {
        var result = await ValidateAsync(password);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Code)));
        Assert.False(CommonPasswordValidator.IsCommon(password));
    }

    [Fact]
    public async Task EmptyPassword_IsLeftToTheLengthRule() => Assert.True((await ValidateAsync("")).Succeeded);

    // The validator never touches the UserManager; Identity passes its own in production.
    private static Task<IdentityResult> ValidateAsync(string password) =>
        new CommonPasswordValidator().ValidateAsync(null!, new User { Email = Email, UserName = Email }, password);
}
