namespace Hyper.Cli;

/// <summary>The APP argument cannot be resolved: the message names the file, type or member that is missing.</summary>
internal sealed class AppReferenceException(string message, Exception? inner = null) : Exception(message, inner);
