using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Hosting;

/// <summary>
/// Data-annotation validation of an options class and of every options object nested in it
/// (<c>Authorization:Keys</c>, <c>Email:Smtp</c> …). The framework's <c>ValidateDataAnnotations</c>
/// stops at the first level, so a <c>[Range]</c> on a nested class was never checked. Failures name
/// the configuration key (<c>Authorization:Keys:RsaKeySize</c>), which is what an operator types.
/// </summary>
public static class OptionsValidation
{
    /// <summary>
    /// Validates the data annotations of <typeparamref name="TOptions"/> and of the options objects
    /// it holds, recursively; <paramref name="sectionName"/> prefixes the keys in the messages.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateDataAnnotationsRecursively<TOptions>(this OptionsBuilder<TOptions> builder, string sectionName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new RecursiveDataAnnotationsValidator<TOptions>(builder.Name, sectionName));
        return builder;
    }

    /// <summary>
    /// Runs the start-up validation of every options class registered with <c>ValidateOnStart</c>, before
    /// the host starts. A wrong setting prints one line per problem on standard error, naming the key,
    /// and returns false: the caller exits non-zero, without a stack trace.
    /// </summary>
    public static bool HasValidSettings(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (Exception exception) when (FailuresOf(exception) is { Count: > 0 } failures)
        {
            foreach (var failure in failures)
            {
                Console.Error.WriteLine($"Kryptos Connect cannot start: {failure}");
            }

            return false;
        }
    }

    /// <summary>
    /// The validation failures in an exception thrown by the start-up validation (one exception, or an
    /// aggregate of one per options class), each once; empty for any other exception.
    /// </summary>
    public static IReadOnlyList<string> FailuresOf(Exception exception) => exception switch
    {
        OptionsValidationException single => [.. single.Failures.Distinct(StringComparer.Ordinal)],
        AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).Distinct(StringComparer.Ordinal)],
        _ => [],
    };
}

internal sealed class RecursiveDataAnnotationsValidator<TOptions>(string? optionsName, string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (optionsName is not null && name != optionsName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        ValidateObject(options, sectionName, failures, depth: 0);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateObject(object instance, string path, List<string> failures, int depth)
    {
        // Options classes are shallow trees; the bound guards against a cycle in a future class.
        if (depth > 8)
        {
            return;
        }

        foreach (var property in Properties.GetOrAdd(instance.GetType(), BindableProperties))
        {
            var key = $"{path}:{property.Name}";
            var value = property.GetValue(instance);
            // The display name is the configuration key, so "[Range]" says "The field Email:Smtp:Port must be …".
            var context = new ValidationContext(instance) { MemberName = property.Name, DisplayName = key };
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateProperty(value, context, results))
            {
                failures.AddRange(results.Select(r => r.ErrorMessage ?? $"{key} is not valid."));
            }

            if (value is not null && IsOptionsObject(property.PropertyType))
            {
                ValidateObject(value, key, failures, depth + 1);
            }
            else if (value is System.Collections.IDictionary entries)
            {
                // A map of options objects (e.g. RateLimits:Workspaces:{id}): each entry under its key.
                foreach (System.Collections.DictionaryEntry entry in entries)
                {
                    if (entry.Value is { } item && IsOptionsObject(item.GetType()))
                    {
                        ValidateObject(item, $"{key}:{entry.Key}", failures, depth + 1);
                    }
                }
            }
        }
    }

    /// <summary>What the configuration binder sets: public instance properties with a getter and a setter.</summary>
    private static PropertyInfo[] BindableProperties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0 && p.SetMethod!.IsPublic)];

    /// <summary>A nested options class: one of ours (same assembly), not a value or a string.</summary>
    private static bool IsOptionsObject(Type type) =>
        type.IsClass && type != typeof(string) && type.Assembly == typeof(TOptions).Assembly;
}
