using System.Diagnostics;
using System.Globalization;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Store;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ledger.Bench;

internal static partial class StoreBench
{
    /// <summary>
    /// The physical limit the ledger is compared with: the same rows (the ledger run's streams and
    /// event ids, real canonical entries of the same size, their leaf hashes and digests) inserted
    /// into the same <c>entries</c> table (same columns, keys, unique indexes and checks; created by
    /// the store's own migration) by one connection, in transactions of writers × events rows (the
    /// most one group commit can hold), with none of the ledger's work: no version or idempotency
    /// lookups, no canonicalization or hashing, no Merkle tiles, no head row.
    /// </summary>
    private static async Task<double> RawThroughputAsync(string engine, string connectionString, int writers, int events, TimeSpan warmup, TimeSpan window)
    {
        await (await EventStoreFactory.OpenAsync(new StoreOptions { Engine = engine, ConnectionString = connectionString, Origin = Origin })).DisposeAsync();
        var pool = RowPool(1024);
        var batch = writers * events;
        var keys = new RowKeys(writers, events);
        long inserted = 0;
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => engine == StoreOptions.Postgres
            ? RawPostgresAsync(connectionString, keys, pool, () => Interlocked.Add(ref inserted, batch), stop.Token)
            : RawSqliteAsync(connectionString, keys, pool, () => Interlocked.Add(ref inserted, batch), stop.Token));

        await Task.Delay(warmup);
        var (start, clock) = (Interlocked.Read(ref inserted), Stopwatch.StartNew());
        await Task.Delay(window);
        var (end, elapsed) = (Interlocked.Read(ref inserted), clock.Elapsed);
        await stop.CancelAsync();
        await run;
        return (end - start) / elapsed.TotalSeconds;
    }

    /// <summary>
    /// The keys the ledger run writes: writer w appends to stream <c>bench-w</c> events
    /// <c>bench-w-{version}</c>; one raw transaction holds one append of every writer.
    /// </summary>
    private sealed class RowKeys(int writers, int events)
    {
        private readonly long[] _versions = new long[writers];

        public int Writers => writers;

        public int Events => events;

        public IEnumerable<(string Stream, long Version, string EventId)> Next()
        {
            for (var w = 0; w < writers; w++)
            {
                var stream = "bench-" + w.ToString(CultureInfo.InvariantCulture);
                for (var n = 0; n < events; n++)
                {
                    var version = ++_versions[w];
                    yield return (stream, version, stream + "-" + version.ToString(CultureInfo.InvariantCulture));
                }
            }
        }
    }

    private sealed record RawRow(byte[] Entry, byte[] LeafHash, string Digest);

    private static RawRow[] RowPool(int count)
    {
        var data = Payload();
        return Enumerable.Range(0, count).Select(i =>
        {
            var statement = new EmitterStatement("bench-0", "raw-" + i.ToString(CultureInfo.InvariantCulture), "bench.appended.v1", "bench", "bench-emitter", "2025-06-01T12:00:00Z", data, null);
            var entry = new LedgerEntry(Origin, i, DateTimeOffset.UtcNow, 1, statement, null, null).ToCanonicalBytes();
            return new RawRow(entry, MerkleHash.HashLeaf(entry), statement.Digest());
        }).ToArray();
    }

    private static async Task RawSqliteAsync(string connectionString, RowKeys keys, RawRow[] pool, Action committed, CancellationToken stop)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
            await pragmas.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO entries (position, stream, stream_version, event_id, statement_digest, leaf_hash, entry) VALUES ($p, $s, $v, $id, $d, $h, $e)";
        foreach (var name in new[] { "$p", "$s", "$v", "$id", "$d", "$h", "$e" })
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        long position = 0;
        while (!stop.IsCancellationRequested)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            insert.Transaction = transaction;
            foreach (var (stream, version, eventId) in keys.Next())
            {
                var row = pool[position % pool.Length];
                insert.Parameters["$p"].Value = position++;
                insert.Parameters["$s"].Value = stream;
                insert.Parameters["$v"].Value = version;
                insert.Parameters["$id"].Value = eventId;
                insert.Parameters["$d"].Value = row.Digest;
                insert.Parameters["$h"].Value = row.LeafHash;
                insert.Parameters["$e"].Value = row.Entry;
                await insert.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
            committed();
        }
    }

    private static async Task RawPostgresAsync(string connectionString, RowKeys keys, RawRow[] pool, Action committed, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        long position = 0;
        while (!stop.IsCancellationRequested)
        {
            var batch = keys.Writers * keys.Events;
            var positions = new long[batch];
            var streams = new string[batch];
            var versions = new long[batch];
            var ids = new string[batch];
            var digests = new string[batch];
            var hashes = new byte[batch][];
            var entries = new byte[batch][];
            var i = 0;
            foreach (var (stream, version, eventId) in keys.Next())
            {
                var row = pool[position % pool.Length];
                positions[i] = position++;
                streams[i] = stream;
                versions[i] = version;
                ids[i] = eventId;
                digests[i] = row.Digest;
                hashes[i] = row.LeafHash;
                entries[i] = row.Entry;
                i++;
            }

            await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO entries (position, stream, stream_version, event_id, statement_digest, leaf_hash, entry)
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bytea[], $7::bytea[])
                """,
                connection,
                transaction);
            foreach (var value in new object[] { positions, streams, versions, ids, digests, hashes, entries })
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await insert.ExecuteNonQueryAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            committed();
        }
    }
}
