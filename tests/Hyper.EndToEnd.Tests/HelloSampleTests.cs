using System.Net.Http.Headers;

namespace Hyper.EndToEnd.Tests;

/// <summary>
/// The Hello sample's routes that bench/run.sh relies on, served by the real <c>hyper</c> process: the echo route gives
/// the body back byte for byte whether its length is declared (read into one array of that size) or not (chunked), and
/// <c>/_bench/gc</c> answers. Each process is killed by its PID when disposed, whatever the test did.
/// </summary>
public sealed class HelloSampleTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Echo_BodyWithContentLength_ComesBackWholeWithItsLengthAndType()
    {
        var body = RandomBody(4096);
        await WithHelloAsync(async (client, baseUri) =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-bench");
            using var response = await client.PostAsync(new Uri(baseUri, "/echo"), content);

            response.IsSuccessStatusCode.Should().BeTrue();
            response.Content.Headers.ContentLength.Should().Be(body.Length);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-bench");
            (await response.Content.ReadAsByteArrayAsync()).Should().Equal(body);
        });
    }

    [Fact]
    public async Task Echo_ChunkedBody_ComesBackWhole()
    {
        var body = RandomBody(10_000);
        await WithHelloAsync(async (client, baseUri) =>
        {
            // A StreamContent of unknown length: HttpClient sends it chunked, with no content-length.
            using var content = new StreamContent(new UnseekableStream(body));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "/echo")) { Content = content };
            request.Headers.TransferEncodingChunked = true;
            using var response = await client.SendAsync(request);

            response.IsSuccessStatusCode.Should().BeTrue();
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
            (await response.Content.ReadAsByteArrayAsync()).Should().Equal(body);
        });
    }

    [Fact]
    public async Task BenchGc_AnswersCollected()
    {
        await WithHelloAsync(async (client, baseUri) =>
            (await client.GetStringAsync(new Uri(baseUri, "/_bench/gc"))).Should().Be("collected"));
    }

    [Fact]
    public async Task WebSocket_Ws_EchoesTextAsTextAndBytesAsBytes()
    {
        await WithHelloAsync(async (_, baseUri) =>
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://{baseUri.Authority}/ws"), cts.Token);
            var buffer = new byte[1024];

            await socket.SendAsync("hi there"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, cts.Token);
            var text = await socket.ReceiveAsync(buffer, cts.Token);
            text.MessageType.Should().Be(System.Net.WebSockets.WebSocketMessageType.Text);
            System.Text.Encoding.UTF8.GetString(buffer, 0, text.Count).Should().Be("hi there");

            var bytes = RandomBody(300);
            await socket.SendAsync(bytes, System.Net.WebSockets.WebSocketMessageType.Binary, true, cts.Token);
            var binary = await socket.ReceiveAsync(buffer, cts.Token);
            binary.MessageType.Should().Be(System.Net.WebSockets.WebSocketMessageType.Binary);
            buffer.AsSpan(0, binary.Count).ToArray().Should().Equal(bytes);

            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "", cts.Token);
            socket.CloseStatus.Should().Be(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure);
        });
    }

    private static async Task WithHelloAsync(Func<HttpClient, Uri, Task> test)
    {
        using var hyper = HyperProcess.Start(HyperProcess.HelloApp, "--bind", "127.0.0.1:0");
        var port = await hyper.WaitForPortAsync();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        await test(client, new Uri($"http://127.0.0.1:{port}"));

        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(ExitTimeout)).Should().Be(0, "stderr: {0}", hyper.Stderr);
    }

    private static byte[] RandomBody(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        return body;
    }

    /// <summary>A stream whose length HttpClient cannot learn, so the request goes out chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
