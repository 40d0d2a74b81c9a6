namespace Hyper.Core.Hosting;

/// <summary>The application refused to start (or stop): the server exits non-zero with this message.</summary>
public sealed class LifespanFailureException(string message) : Exception(message);
