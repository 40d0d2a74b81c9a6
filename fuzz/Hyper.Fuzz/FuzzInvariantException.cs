namespace Hyper.Fuzz;

/// <summary>A fuzz target found a parser breaking one of its promises without throwing anything itself.</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
