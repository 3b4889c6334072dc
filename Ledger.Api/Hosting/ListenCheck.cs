using System.Net;
using System.Net.Sockets;

namespace Ledger.Api.Hosting;

/// <summary>
/// Checks, before the node creates anything, that every address it is configured to listen on can be bound now (a port
/// in use, an address this machine does not have): a failed start must not have created the ledger and printed its
/// one-time admin token first. Kestrel binds again later; a port taken in between still fails the start with one line.
/// </summary>
public static class ListenCheck
{
    /// <summary>The URLs the server will listen on: <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>) and <c>Kestrel:Endpoints:*:Url</c>.</summary>
    public static IReadOnlyList<string> ConfiguredUrls(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return urls;
    }

    /// <summary>Null when every URL can be bound; otherwise one sentence naming the URL and the reason.</summary>
    public static string? Check(IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        foreach (var url in urls)
        {
            if (!TryEndpoints(url, out var endpoints, out var problem))
            {
                return problem;
            }

            foreach (var endpoint in endpoints.Where(e => e.Port != 0))
            {
                try
                {
                    using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        socket.DualMode = false;
                    }

                    socket.Bind(endpoint);
                }
                catch (SocketException e)
                {
                    var why = e.SocketErrorCode switch
                    {
                        SocketError.AddressAlreadyInUse => "the port is already in use",
                        SocketError.AddressNotAvailable => "this machine has no such address",
                        SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
                        _ => e.Message,
                    };
                    return $"cannot listen on {url}: {why}";
                }
            }
        }

        return null;
    }

    private static bool TryEndpoints(string url, out IReadOnlyList<IPEndPoint> endpoints, out string? problem)
    {
        endpoints = [];
        problem = null;
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException e)
        {
            problem = $"urls: '{url}' is not a URL to listen on: {e.Message}";
            return false;
        }

        if (address.IsUnixPipe || address.IsNamedPipe)
        {
            return true;
        }

        var host = address.Host;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Kestrel needs IPv4 loopback for localhost (IPv6 loopback only when the machine has it).
            endpoints = [new IPEndPoint(IPAddress.Loopback, address.Port)];
        }
        else if (host is "*" or "+" || !IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            // Kestrel listens on every address for a wildcard or a host name.
            endpoints = [new IPEndPoint(IPAddress.Any, address.Port)];
        }
        else
        {
            endpoints = [new IPEndPoint(ip, address.Port)];
        }

        return true;
    }
}
