using Hyper.Cli;

// hyper APP [options]: see HyperCommand for the flags, ConfigurationSources for the layers under them.
var composition = new ServerComposition(Console.Error, args);
var command = new HyperCommand(ConfigurationSources.ProcessEnvironment(), composition.ServeAsync, composition.ServeWorkerAsync);
return await command.InvokeAsync(args, Console.Out, Console.Error);
