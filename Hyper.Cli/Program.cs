using Hyper.Cli;

// hyper APP [options]: see HyperCommand for the flags, ConfigurationSources for the layers under them.
var composition = new ServerComposition(Console.Error);
var command = new HyperCommand(ConfigurationSources.ProcessEnvironment(), composition.ServeAsync);
return await command.InvokeAsync(args, Console.Out, Console.Error);
