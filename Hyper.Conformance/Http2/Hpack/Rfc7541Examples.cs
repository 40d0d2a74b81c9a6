namespace Hyper.Conformance.Http2.Hpack;

/// <summary>
/// The header block examples of RFC 7541 Appendix C, retyped from the RFC: wire octets, decoded header list, and the
/// dynamic table size after each block. C.2 blocks each start on a fresh decoder; C.3–C.6 are sequences that share
/// one context (requests at the default table size, responses at SETTINGS_HEADER_TABLE_SIZE = 256).
/// </summary>
public static class Rfc7541Examples
{
    private const string Date21 = "Mon, 21 Oct 2013 20:13:21 GMT";
    private const string Date22 = "Mon, 21 Oct 2013 20:13:22 GMT";
    private const string Location = "https://www.example.com";
    private const string Cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    /// <summary>C.2: one representation per block, each on a fresh decoder.</summary>
    public static IReadOnlyList<HpackExample> LiteralAndIndexedFields { get; } =
    [
        new("C.2.1", "Literal Header Field with Indexing", 4096,
        [
            HpackExampleBlock.Of("C.2.1", "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572", 55,
                ("custom-key", "custom-header")),
        ]),
        new("C.2.2", "Literal Header Field without Indexing", 4096,
        [
            HpackExampleBlock.Of("C.2.2", "040c 2f73 616d 706c 652f 7061 7468", 0, (":path", "/sample/path")),
        ]),
        new("C.2.3", "Literal Header Field Never Indexed", 4096,
        [
            HpackExampleBlock.Of("C.2.3", "1008 7061 7373 776f 7264 0673 6563 7265 74", 0, ("password", "secret")),
        ]),
        new("C.2.4", "Indexed Header Field", 4096,
        [
            HpackExampleBlock.Of("C.2.4", "82", 0, (":method", "GET")),
        ]),
    ];

    /// <summary>C.3: requests without Huffman coding.</summary>
    public static HpackExample RequestsWithoutHuffman { get; } = new("C.3", "Request Examples without Huffman Coding", 4096,
    [
        HpackExampleBlock.Of("C.3.1", "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", 57,
            (":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")),
        HpackExampleBlock.Of("C.3.2", "8286 84be 5808 6e6f 2d63 6163 6865", 110,
            (":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"),
            ("cache-control", "no-cache")),
        HpackExampleBlock.Of("C.3.3", "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", 164,
            (":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"),
            ("custom-key", "custom-value")),
    ]);

    /// <summary>C.4: the same requests with Huffman coding.</summary>
    public static HpackExample RequestsWithHuffman { get; } = new("C.4", "Request Examples with Huffman Coding", 4096,
    [
        HpackExampleBlock.Of("C.4.1", "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", 57,
            (":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")),
        HpackExampleBlock.Of("C.4.2", "8286 84be 5886 a8eb 1064 9cbf", 110,
            (":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"),
            ("cache-control", "no-cache")),
        HpackExampleBlock.Of("C.4.3", "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", 164,
            (":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"),
            ("custom-key", "custom-value")),
    ]);

    /// <summary>C.5: responses without Huffman coding, table size 256, so entries are evicted.</summary>
    public static HpackExample ResponsesWithoutHuffman { get; } = new("C.5", "Response Examples without Huffman Coding", 256,
    [
        HpackExampleBlock.Of("C.5.1",
            "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d" +
            " 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", 222,
            (":status", "302"), ("cache-control", "private"), ("date", Date21), ("location", Location)),
        HpackExampleBlock.Of("C.5.2", "4803 3330 37c1 c0bf", 222,
            (":status", "307"), ("cache-control", "private"), ("date", Date21), ("location", Location)),
        HpackExampleBlock.Of("C.5.3",
            "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f" +
            " 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630" +
            " 303b 2076 6572 7369 6f6e 3d31", 215,
            (":status", "200"), ("cache-control", "private"), ("date", Date22), ("location", Location),
            ("content-encoding", "gzip"), ("set-cookie", Cookie)),
    ]);

    /// <summary>C.6: the same responses with Huffman coding.</summary>
    public static HpackExample ResponsesWithHuffman { get; } = new("C.6", "Response Examples with Huffman Coding", 256,
    [
        HpackExampleBlock.Of("C.6.1",
            "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7" +
            " 8f0b 97c8 e9ae 82ae 43d3", 222,
            (":status", "302"), ("cache-control", "private"), ("date", Date21), ("location", Location)),
        HpackExampleBlock.Of("C.6.2", "4883 640e ffc1 c0bf", 222,
            (":status", "307"), ("cache-control", "private"), ("date", Date21), ("location", Location)),
        HpackExampleBlock.Of("C.6.3",
            "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335" +
            " dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07", 215,
            (":status", "200"), ("cache-control", "private"), ("date", Date22), ("location", Location),
            ("content-encoding", "gzip"), ("set-cookie", Cookie)),
    ]);

    /// <summary>Every example, C.2.1 to C.6.</summary>
    public static IReadOnlyList<HpackExample> All { get; } =
        [.. LiteralAndIndexedFields, RequestsWithoutHuffman, RequestsWithHuffman, ResponsesWithoutHuffman, ResponsesWithHuffman];
}
