using System.Globalization;
using System.Runtime.CompilerServices;
using Ledger.Domain.Canonical;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;

namespace Ledger.Client;

public sealed partial class LedgerClient
{
    /// <summary>
    /// Follows the log from <paramref name="fromPosition"/>: every entry in position order, then each new one as it is
    /// appended, with no gap and no repeat. It waits with long-polls of <c>GET /v1/log/entries?wait=</c>
    /// (<see cref="LedgerClientOptions.SubscriptionWait"/>) and ends only when <paramref name="ct"/> is cancelled.
    /// </summary>
    /// <remarks>To resume after a stop or a <see cref="LedgerConnectionException"/>, subscribe again from the last
    /// position handled + 1: positions are gap-free and never reused, so nothing is missed or seen twice.</remarks>
    /// <exception cref="LedgerConnectionException">The ledger could not be reached once the retries were spent.</exception>
    /// <exception cref="LedgerResponseException">An entry is not canonical or not at the position it should be.</exception>
    public async IAsyncEnumerable<LogEntry> SubscribeAsync(long fromPosition, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromPosition);
        var next = fromPosition;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var batch = await ReadLogAsync(next, _options.SubscriptionBatch, _options.SubscriptionWait, ct).ConfigureAwait(false);
            foreach (var entry in batch)
            {
                yield return entry;
                next = entry.Position + 1;
            }
        }
    }

    /// <summary>Reads up to <paramref name="limit"/> entries from <paramref name="start"/>; with <paramref name="wait"/>,
    /// the ledger holds the request until an entry at <paramref name="start"/> or beyond exists (at most
    /// <see cref="MaxWaitSeconds"/>) and answers an empty list when none came.</summary>
    /// <exception cref="LedgerResponseException">An entry is not canonical or not at the position it should be.</exception>
    public async Task<IReadOnlyList<LogEntry>> ReadLogAsync(long start, int limit = 1000, TimeSpan? wait = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxEntriesPerRead);
        var query = string.Create(CultureInfo.InvariantCulture, $"v1/log/entries?start={start}&limit={limit}");
        TimeSpan? timeout = null;
        if (wait is { } w)
        {
            var seconds = (int)Math.Clamp(Math.Ceiling(w.TotalSeconds), 0, MaxWaitSeconds);
            query += string.Create(CultureInfo.InvariantCulture, $"&wait={seconds}");
            var atLeast = TimeSpan.FromSeconds(seconds + 15);
            timeout = _options.AttemptTimeout > atLeast ? _options.AttemptTimeout : atLeast;
        }

        using var response = await SendAsync(HttpMethod.Get, query, null, retry: true, ct, timeout: timeout).ConfigureAwait(false);
        var body = await ReadBytesAsync(response, ct).ConfigureAwait(false);
        return ParseEntries(body, start);
    }

    /// <summary>The receipt of the entry at <paramref name="position"/> (c2sp.org/tlog-proof@v1 text) against the latest
    /// checkpoint that covers it; waits (retrying) while no checkpoint covers it yet.</summary>
    /// <exception cref="LedgerProblemException">404 no such entry; 503 still no checkpoint once the retries are spent.</exception>
    public Task<string> GetReceiptAsync(long position, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        return GetTextAsync(string.Create(CultureInfo.InvariantCulture, $"v1/log/receipt/{position}"), ct);
    }

    /// <summary>Fetches the receipt of <paramref name="position"/> and verifies it offline against <paramref name="trusted"/>
    /// keys obtained out of band (<see cref="ReceiptVerifier"/>).</summary>
    /// <exception cref="ReceiptVerificationException">It does not verify.</exception>
    public async Task<VerifiedReceipt> GetVerifiedReceiptAsync(long position, NoteVerifierSet trusted, string? origin = null, CancellationToken ct = default)
    {
        var text = await GetReceiptAsync(position, ct).ConfigureAwait(false);
        return ReceiptVerifier.Verify(text, trusted, origin, position);
    }

    /// <summary>The ledger's verifier key as the ledger states it (compare it with one obtained out of band before trusting it).</summary>
    public async Task<string> GetVerifierKeyAsync(CancellationToken ct = default) =>
        (await GetTextAsync("v1/log/key", ct).ConfigureAwait(false)).Trim();

    /// <summary>The latest signed checkpoint (a C2SP signed note with any witness cosignatures).</summary>
    public Task<string> GetCheckpointAsync(CancellationToken ct = default) => GetTextAsync("v1/log/checkpoint", ct);

    /// <summary>Streams a verification bundle (<c>GET /v1/export</c>, docs/FORMAT.md §7) into <paramref name="destination"/>.</summary>
    /// <param name="query">The export's query without <c>?</c> (<c>from=0&amp;to=12</c>, <c>stream=…</c>, <c>lineage=…</c>), or empty for the whole log.</param>
    /// <param name="destination">Where the bundle goes.</param>
    /// <param name="ct">Cancels the download.</param>
    /// <returns>The bytes written.</returns>
    /// <exception cref="LedgerConnectionException">The download broke off (the destination then holds a part of it).</exception>
    public async Task<long> ExportAsync(string query, Stream destination, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await SendAsync(HttpMethod.Get, "v1/export" + (query.Length > 0 ? "?" + query : ""), null, retry: true, ct,
            HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var start = destination.CanSeek ? destination.Position : 0;
        try
        {
            var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var copied = 0L;
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    copied += read;
                }

                return destination.CanSeek ? destination.Position - start : copied;
            }
        }
        catch (Exception e) when ((e is HttpRequestException or HttpIOException || (e is IOException && e.InnerException is HttpRequestException or HttpIOException))
            && !ct.IsCancellationRequested)
        {
            throw new LedgerConnectionException($"The download broke off: {e.Message}", e);
        }
    }

    private static List<LogEntry> ParseEntries(byte[] body, long start)
    {
        var entries = new List<LogEntry>();
        var rest = body.AsSpan();
        var expected = start;
        while (rest.Length > 0)
        {
            var end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                throw new LedgerResponseException(string.Create(CultureInfo.InvariantCulture,
                    $"The entry expected at position {expected} is cut short (no newline ends it)."));
            }

            var line = rest[..end].ToArray();
            rest = rest[(end + 1)..];
            LedgerEntry entry;
            try
            {
                entry = LedgerEntry.Parse(line);
            }
            catch (Exception e) when (e is CanonicalJsonException or FormatException)
            {
                throw new LedgerResponseException(string.Create(CultureInfo.InvariantCulture,
                    $"The entry served at position {expected} is not a canonical ledger entry: {e.Message}"), e);
            }

            if (entry.Position != expected)
            {
                throw new LedgerResponseException(string.Create(CultureInfo.InvariantCulture,
                    $"The ledger served the entry of position {entry.Position} where position {expected} belongs."));
            }

            entries.Add(new LogEntry(line, entry));
            expected++;
        }

        return entries;
    }
}
