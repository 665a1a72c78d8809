namespace Kryptos.BrowserTests.Infrastructure;

/// <summary>Someone using the portal in a test; every test makes new ones, so tests share no data.</summary>
public sealed record Person(string Name, string Email, string Password)
{
    public static Person New(string name, string emailPrefix = "user") =>
        new(name, $"{emailPrefix}-{Guid.NewGuid():N}@example.com", "correct horse battery staple");
}
