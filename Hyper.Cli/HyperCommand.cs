using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Hyper.Core.Application;
using Hyper.Core.Configuration;

namespace Hyper.Cli;

/// <summary>
/// <c>hyper APP [options]</c>. Flags carry Hypercorn's names and are generated from the <see cref="OptionKeyAttribute"/>
/// of every option that has a <see cref="OptionKeyAttribute.Flag"/>; booleans come as <c>--x</c> / <c>--no-x</c>.
/// A flag only writes its option's key into the top configuration layer, so a flag's value is parsed and validated
/// by <see cref="HyperOptionsBinder"/> exactly like the same key from a file or the environment.
/// User errors (bad APP, bad value, unknown flag) are one line on stderr and exit code 2, as argparse does.
/// </summary>
internal sealed class HyperCommand
{
    public const int UsageErrorExitCode = 2;

    /// <summary>Runs the server once options and app are resolved; returns the process exit code.</summary>
    public delegate Task<int> ServeAsync(HyperOptions options, AsgiApplication app, CancellationToken cancellationToken);

    /// <summary>Runs one worker process of a supervisor (the hidden <see cref="WorkerLaunch.Flag"/>); returns its exit code.</summary>
    public delegate Task<int> ServeWorkerAsync(HyperOptions options, AsgiApplication app, Workers.WorkerLaunch launch, CancellationToken cancellationToken);

    // Hypercorn's one-letter aliases.
    private static readonly Dictionary<string, string> ShortAliases = new(StringComparer.Ordinal)
    {
        ["bind"] = "-b",
        ["worker-class"] = "-k",
    };

    private sealed record FlagBinding(HyperOptionsBinder.OptionDefinition Definition, Option On, Option? Off);

    private readonly IReadOnlyDictionary<string, string?> environment;
    private readonly ServeAsync serve;
    private readonly Argument<string> app = new("APP")
    {
        Description = $"The application: {AppReference.ExpectedForm}",
    };
    private readonly Option<string> config = new("--config", "-c")
    {
        Description = "Config file: .toml (Hypercorn's keys), .json or .ini",
        HelpName = "FILE",
    };
    private readonly Option<string[]> set = new("--set")
    {
        Description = "Set any option by its config key, e.g. --set keep_alive_max_requests=500 (repeatable; lists comma-separated)",
        HelpName = "KEY=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };
    // Set by a supervisor on the workers it starts; not for users, so not in --help.
    private readonly Option<string> workerProcess = new(Workers.WorkerLaunch.Flag) { Hidden = true };
    private readonly List<FlagBinding> flags = [];
    private readonly ServeWorkerAsync? serveWorker;

    public HyperCommand(IReadOnlyDictionary<string, string?> environment, ServeAsync serve, ServeWorkerAsync? serveWorker = null)
    {
        this.environment = environment;
        this.serve = serve;
        this.serveWorker = serveWorker;
        Root = new RootCommand(
            "Hyper: an HTTP application server for .NET, modelled on Hypercorn.\n" +
            "Every option can also be set by its key in a config file (--config) or as an environment variable " +
            "HYPER_<KEY> (e.g. HYPER_KEEP_ALIVE_TIMEOUT=3; lists comma-separated). Precedence, lowest first: " +
            "defaults, config file, environment, command line.");
        Root.Arguments.Add(app);
        Root.Options.Add(config);
        foreach (var definition in HyperOptionsBinder.Options)
        {
            if (definition.Flag is null) continue;
            var binding = CreateFlag(definition);
            flags.Add(binding);
            Root.Options.Add(binding.On);
            if (binding.Off is not null) Root.Options.Add(binding.Off);
        }
        Root.Options.Add(set);
        Root.Options.Add(workerProcess);
        Root.Subcommands.Add(DevCertCommand.Create());
        // The default prints the entry assembly's version, which is the test host's under a test runner.
        foreach (var version in Root.Options.OfType<VersionOption>()) version.Action = new PrintVersion();
        Root.SetAction(RunAsync);
    }

    public RootCommand Root { get; }

    /// <summary>Parses <paramref name="args"/> and runs the command; output and error are injected for tests.</summary>
    public Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parse = Root.Parse(args);
        // --help and --version answer even when APP is missing; every other parse error is a usage error.
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
            return Task.FromResult(UsageError(error, parse.Errors[0].Message));
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Program installs its own SIGINT/SIGTERM handling for graceful shutdown.
            ProcessTerminationTimeout = null,
        };
        return parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>Builds the validated options from the environment, the config file and the flags in <paramref name="parse"/>.</summary>
    internal HyperOptions BindOptions(ParseResult parse)
    {
        var sources = new ConfigurationSources();
        if (parse.GetValue(config) is { } path) sources.AddFile(path);
        sources.AddEnvironment(environment);
        sources.AddLayer(SetValues(parse));
        sources.AddLayer(FlagValues(parse));
        return HyperOptionsBinder.Bind(sources.Build());
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        HyperOptions options;
        AsgiApplication application;
        Workers.WorkerLaunch? launch = null;
        try
        {
            if (parse.GetValue(workerProcess) is { } launchText)
            {
                if (serveWorker is null) return UsageError(error, $"{Workers.WorkerLaunch.Flag} is not supported by this host");
                launch = Workers.WorkerLaunch.Parse(launchText);
            }
            // Options first: they are cheap to check, and loading the app runs the app's code.
            options = BindOptions(parse);
            var appText = parse.GetRequiredValue(app);
            // The parser hands an unknown flag in APP's place to the argument; name it as the flag it is.
            if (appText.StartsWith('-')) return UsageError(error, $"unrecognized option '{appText}'");
            application = AppReference.Parse(appText).Resolve();
        }
        catch (OptionsValidationException e)
        {
            return UsageError(error, e.Message);
        }
        catch (AppReferenceException e)
        {
            return UsageError(error, $"app: {e.Message}");
        }
        catch (FormatException e) when (launch is null && parse.GetValue(workerProcess) is not null)
        {
            return UsageError(error, $"{Workers.WorkerLaunch.Flag}: {e.Message}");
        }
        if (launch is not null) return await serveWorker!(options, application, launch, cancellationToken);
        return await serve(options, application, cancellationToken);
    }

    private static FlagBinding CreateFlag(HyperOptionsBinder.OptionDefinition definition)
    {
        var name = "--" + definition.Flag;
        string[] aliases = ShortAliases.TryGetValue(definition.Flag!, out var shortAlias) ? [shortAlias] : [];
        var description = $"{definition.Help} [{definition.Key}]";
        if (definition.IsBoolean)
        {
            var on = new Option<bool>(name, aliases) { Description = description, Arity = ArgumentArity.Zero };
            var off = new Option<bool>("--no-" + definition.Flag) { Description = $"Turn {name} off", Arity = ArgumentArity.Zero };
            return new FlagBinding(definition, on, off);
        }
        if (definition.IsList)
        {
            var list = new Option<string[]>(name, aliases)
            {
                Description = description,
                HelpName = HelpName(definition),
                AllowMultipleArgumentsPerToken = false,
            };
            return new FlagBinding(definition, list, null);
        }
        return new FlagBinding(definition, new Option<string>(name, aliases) { Description = description, HelpName = HelpName(definition) }, null);
    }

    private static string HelpName(HyperOptionsBinder.OptionDefinition definition)
    {
        var type = definition.ListElementType ?? Nullable.GetUnderlyingType(definition.Property.PropertyType) ?? definition.Property.PropertyType;
        if (type == typeof(TimeSpan)) return "SECONDS";
        if (type == typeof(BindAddress)) return "ADDRESS";
        if (type == typeof(int) || type == typeof(long)) return "N";
        return definition.Key.ToUpperInvariant();
    }

    private Dictionary<string, string?> FlagValues(ParseResult parse)
    {
        var layer = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (definition, on, off) in flags)
        {
            var onGiven = parse.GetResult(on) is { Implicit: false };
            if (definition.IsBoolean)
            {
                var offGiven = parse.GetResult(off!) is { Implicit: false };
                if (onGiven && offGiven)
                    throw new OptionsValidationException(definition.Key, $"both --{definition.Flag} and --no-{definition.Flag} given");
                if (onGiven || offGiven) layer[definition.Key] = onGiven ? "true" : "false";
            }
            else if (onGiven && definition.IsList)
                ConfigurationSources.SetList(layer, definition.Key, parse.GetValue((Option<string[]>)on) ?? []);
            else if (onGiven)
                layer[definition.Key] = parse.GetValue((Option<string>)on);
        }
        return layer;
    }

    private Dictionary<string, string?> SetValues(ParseResult parse)
    {
        var layer = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var assignment in parse.GetValue(set) ?? [])
        {
            var equals = assignment.IndexOf('=');
            if (equals <= 0) throw new OptionsValidationException("set", $"'{assignment}' is not KEY=VALUE");
            var key = assignment[..equals].Trim();
            var value = assignment[(equals + 1)..];
            var definition = HyperOptionsBinder.Find(key) ?? throw HyperOptionsBinder.UnknownOption(key);
            if (definition.IsList) ConfigurationSources.SetList(layer, definition.Key, ConfigurationSources.SplitList(value));
            else layer[definition.Key] = value;
        }
        return layer;
    }

    private static int UsageError(TextWriter error, string message)
    {
        // One line, no stack trace: the message already names the key and the value.
        error.WriteLine($"hyper: error: {message.ReplaceLineEndings(" ")}");
        return UsageErrorExitCode;
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var version = typeof(HyperCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            parseResult.InvocationConfiguration.Output.WriteLine($"Hyper {version}");
            return 0;
        }
    }
}
