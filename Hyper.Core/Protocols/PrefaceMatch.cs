namespace Hyper.Core.Protocols;

/// <summary>What a cleartext preface matcher says about the first bytes of a connection.</summary>
public enum PrefaceMatch
{
    /// <summary>These bytes cannot start this protocol's preface.</summary>
    NoMatch,

    /// <summary>The whole preface is there: the connection speaks this protocol.</summary>
    Match,

    /// <summary>The bytes so far are a strict prefix of the preface: read more before deciding.</summary>
    NeedMoreBytes,
}
