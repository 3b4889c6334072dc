using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Ledger.Domain.Federation;
using Ledger.Domain.Notes;

namespace Ledger.Application.Federation;

/// <summary>
/// The configured peers (<c>Ledger:Peers</c>, DESIGN §8.2), checked: each origin once and never this ledger's own, a log
/// key (never a witness key), an absolute http(s) URL, a readable policy that lists that key, home domains claimed by
/// one peer only. Each problem is one line naming the setting, the offending value and what is allowed.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class PeerDirectory
{
    private readonly Dictionary<string, Peer> _peers;
    private readonly Dictionary<string, Peer> _homes;

    private PeerDirectory(Dictionary<string, Peer> peers)
    {
        _peers = peers;
        _homes = new Dictionary<string, Peer>(StringComparer.Ordinal);
        foreach (var peer in peers.Values)
        {
            foreach (var domain in peer.HomeDomains)
            {
                _homes[domain] = peer;
            }
        }
    }

    /// <summary>No peer configured.</summary>
    public static PeerDirectory None { get; } = new(new Dictionary<string, Peer>(StringComparer.Ordinal));

    /// <summary>The peers, in configuration order.</summary>
    public IReadOnlyCollection<Peer> All => _peers.Values;

    /// <summary>The peer with this origin; false when <paramref name="origin"/> is not a configured peer.</summary>
    public bool TryGet(string origin, [NotNullWhen(true)] out Peer? peer) => _peers.TryGetValue(origin, out peer);

    /// <summary>The peer that is home for <paramref name="domain"/>; false when none is.</summary>
    public bool TryGetHome(string domain, [NotNullWhen(true)] out Peer? peer) => _homes.TryGetValue(domain, out peer);

    /// <summary>Every configuration problem (empty when the peers are valid).</summary>
    public static IReadOnlyList<string> Check(Hosting.LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Read(options, failures);
        if (options.FollowInterval <= TimeSpan.Zero || options.PeerTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Ledger:FollowInterval and Ledger:PeerTimeout must be positive, not {options.FollowInterval} and {options.PeerTimeout}");
        }

        return failures;
    }

    /// <summary>Reads the configured peers.</summary>
    /// <exception cref="Hosting.LedgerConfigurationException">One line naming the first problem.</exception>
    public static PeerDirectory From(Hosting.LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var directory = Read(options, failures);
        return failures.Count > 0 ? throw new Hosting.LedgerConfigurationException(failures[0]) : directory;
    }

    private static PeerDirectory Read(Hosting.LedgerOptions options, List<string> failures)
    {
        var peers = new Dictionary<string, Peer>(StringComparer.Ordinal);
        var homes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Peers.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"Ledger:Peers:{i}");
            var read = ReadPeer(options, options.Peers[i], at);
            if (read.Problem is not null)
            {
                failures.Add(read.Problem);
                continue;
            }

            var peer = read.Peer!;
            if (!peers.TryAdd(peer.Origin, peer))
            {
                failures.Add($"{at}:Origin '{peer.Origin}' is configured twice");
                continue;
            }

            foreach (var domain in peer.HomeDomains)
            {
                if (!homes.TryAdd(domain, peer.Origin))
                {
                    failures.Add($"{at}:HomeDomains: domain '{domain}' already has a home ledger, '{homes[domain]}'");
                }
            }
        }

        return new PeerDirectory(peers);
    }

    private static (Peer? Peer, string? Problem) ReadPeer(Hosting.LedgerOptions options, PeerOptions p, string at)
    {
        if (!LogOrigin.IsValid(p.Origin, out var originError))
        {
            return (null, $"{at}:Origin: {originError}");
        }

        if (string.Equals(p.Origin, options.Origin, StringComparison.Ordinal))
        {
            return (null, $"{at}:Origin '{p.Origin}' is this ledger's own origin; a ledger is not its own peer");
        }

        if (!NoteVerifier.TryParse(p.Key ?? string.Empty, out var key, out var keyError))
        {
            return (null, $"{at}:Key is not a verifier key (name+hex(id)+base64(type ‖ key)): {keyError}");
        }

        if (key.SignatureType == NoteSignatureType.CosignatureV1)
        {
            return (null, $"{at}:Key is a cosignature/v1 (witness) key, not the peer's log key");
        }

        if (!Uri.TryCreate(p.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.Query))
        {
            return (null, $"{at}:Url must be the peer's absolute http or https base URL, not '{p.Url}'");
        }

        TlogPolicy policy;
        if (string.IsNullOrEmpty(p.Policy))
        {
            policy = TlogPolicy.ForLogs([key]);
        }
        else if (!File.Exists(p.Policy))
        {
            return (null, $"{at}:Policy: no file '{p.Policy}'");
        }
        else if (!TlogPolicy.TryParse(File.ReadAllText(p.Policy), out var parsed, out var policyError))
        {
            return (null, $"{at}:Policy: {policyError}");
        }
        else if (!parsed.Logs.Any(l => l.Key.VerifierKey == key.VerifierKey))
        {
            return (null, $"{at}:Policy: the policy does not list the peer's key '{key.VerifierKey}' on a 'log' line");
        }
        else
        {
            policy = parsed;
        }

        foreach (var domain in p.HomeDomains)
        {
            if (string.IsNullOrWhiteSpace(domain) || domain.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                return (null, $"{at}:HomeDomains: '{domain}' is not a domain name (non-empty, no spaces)");
            }
        }

        var baseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        return (new Peer(p.Origin!, baseUrl, new PeerTrust(p.Origin!, key, policy), [.. p.HomeDomains.Distinct(StringComparer.Ordinal)]), null);
    }
}
