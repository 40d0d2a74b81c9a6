namespace Hyper.Http2.Hpack;

/// <summary>One entry of the HPACK static table (RFC 7541 Appendix A).</summary>
internal readonly record struct StaticTableEntry(byte[] Name, byte[] Value);
