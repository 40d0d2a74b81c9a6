using Hyper.Core.Application;
using Hyper.Core.Streams;

namespace Hyper.EndToEnd.Tests.Tls;

/// <summary>An application that reports what it sees of the connection: the scheme and the ASGI <c>tls</c> extension.</summary>
public static class TlsApps
{
    public static async ValueTask Describe(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope http) return;
        await Apps.ReadBodyAsync(receive);
        var text = $"scheme={http.Scheme}";
        if (http.Extensions.TryGetValue(TlsScopeExtension.Key, out var value) && value is IReadOnlyDictionary<string, object?> tls)
        {
            var chain = (IReadOnlyList<string>)tls["client_cert_chain"]!;
            text += $";tls_version=0x{(int)tls["tls_version"]!:x4};cipher_suite={tls["cipher_suite"]};client_cert_name={tls["client_cert_name"]}" +
                $";client_chain={chain.Count};server_cert={(tls["server_cert"] as string)?.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)}";
        }
        else
        {
            text += ";tls=none";
        }
        await Apps.RespondAsync(send, 200, text);
    }
}
