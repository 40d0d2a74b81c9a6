namespace Hyper.EndToEnd.Tests;

/// <summary>Malformed and hostile requests over a real socket: a clear status, then the connection closes (docs/security.md H1 rows).</summary>
public sealed class RejectionTests
{
    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var backend in Backends.All)
        {
            data.Add(backend, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
            data.Add(backend, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n", 400);
            data.Add(backend, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400);
            data.Add(backend, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501);
            data.Add(backend, "GET / HTTP/1.1\r\nHost: \r\n\r\n", 400);
            data.Add(backend, new string('M', 100 * 1024), 400);
            data.Add(backend, "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400);
            data.Add(backend, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400);
            data.Add(backend, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello", 400);
            data.Add(backend, "GET / HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n", 400);
            data.Add(backend, "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n folded\r\n\r\n", 400);
            data.Add(backend, "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400);
            data.Add(backend, "GET / HTTP/1.1\nHost: x\n\n", 400);
            data.Add(backend, "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
            data.Add(backend, "GET / HTTP/2.7\r\nHost: x\r\n\r\n", 505);
            data.Add(backend, "GET / HTTP/1.1\r\n\r\n", 400);
            data.Add(backend, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
            data.Add(backend, "GET /" + new string('a', 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
            data.Add(backend, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n", 413);
            data.Add(backend, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n", 431);
            data.Add(backend, "GET / HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 150).Select(i => $"X-{i}: v\r\n")) + "\r\n", 431);
            data.Add(backend, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a\nb\r\nhello\r\n0\r\n\r\n", 400);
            data.Add(backend, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n", 400);
        }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task BadRequest_GetsStatusAndClose(string backend, string request, int status)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync(request);
        var response = await client.ReadResponseAsync();

        response.Status.Should().Be(status);
        response.Header("connection").Should().Be("close");
        (await client.WaitForCloseAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task BodyOverLimit_Gets413(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with { Http11 = o.Http11 with { MaxBodySize = 1000 } });
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
        var response = await client.ReadResponseAsync();

        response.Status.Should().Be(413);
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ValidThenInvalidPipelined_FirstAnsweredThen400(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");

        (await client.ReadResponseAsync()).Status.Should().Be(200);
        (await client.ReadResponseAsync()).Status.Should().Be(400);
        (await client.WaitForCloseAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ServerSurvivesGarbage_AndServesNextClient(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        var random = new Random(7);
        for (var i = 0; i < 20; i++)
        {
            using var bad = await RawHttpClient.ConnectAsync(server);
            var junk = new byte[random.Next(1, 2000)];
            random.NextBytes(junk);
            await bad.SendAsync(junk);
        }
        using var client = server.CreateClient();

        (await client.GetStringAsync("/")).Should().Be("Hello, World!");
    }
}
