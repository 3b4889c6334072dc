using System.Data.Common;
using System.Text;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Tests;

/// <summary>The typed bulk insert (<see cref="RowWriter"/>): what it stores, and the rows it refuses, on each engine.</summary>
public abstract partial class ProjectionSuite
{
    private static readonly TableSpec Sample = new(
        "row_writer_sample",
        [new("id", ColumnKind.Long), new("name", ColumnKind.Text), new("note", ColumnKind.Text, true), new("at", ColumnKind.Long, true), new("hash", ColumnKind.Bytes)],
        ["id"],
        []);

    private sealed record SampleRow(long Id, string Name, string? Note, long? At, byte[] Hash, bool Utf8 = false)
    {
        /// <summary>The stored values, comparable (the hash as hex).</summary>
        public (long, string, string?, long?, string) Values => (Id, Name, Note, At, Convert.ToHexString(Hash));
    }

    [Fact]
    public async Task Typed_rows_store_text_from_strings_and_utf8_empty_text_as_empty_and_nulls_as_null()
    {
        await using var table = await SampleTableAsync();
        var hash = new byte[] { 0, 1, 2, 255 };
        SampleRow[] rows =
        [
            new(1, "plain", null, null, hash),
            new(2, "", "", 0, hash),
            new(3, "é\u2028\u0001 \"quoted\" 🙂", "note", -5, [], Utf8: true),
            new(4, "", "é🙂", long.MaxValue, hash, Utf8: true),
        ];

        await table.InsertAsync(rows, static (r, w) =>
        {
            w.Long(r.Id);
            if (r.Utf8)
            {
                w.Utf8Text(Encoding.UTF8.GetBytes(r.Name));
            }
            else
            {
                w.Text(r.Name);
            }

            w.Text(r.Note);
            w.Long(r.At);
            w.Bytes(r.Hash);
        });

        var stored = await table.ReadAsync();
        stored.Count.ShouldBe(4);
        for (var i = 0; i < rows.Length; i++)
        {
            stored[i].Values.ShouldBe(rows[i].Values);
        }
    }

    [Fact]
    public async Task Boxed_rows_are_written_through_the_same_checks()
    {
        await using var table = await SampleTableAsync();

        await table.InsertAsync<object?[]>([[7L, "seven", null, 70L, new byte[] { 7 }]], static (r, w) => w.Values(r));

        (await table.ReadAsync()).ShouldHaveSingleItem().Values.ShouldBe((7L, "seven", (string?)null, (long?)70, "07"));
        var wrongType = await Should.ThrowAsync<ArgumentException>(() => table.InsertAsync<object?[]>([[8L, "eight", null, 8, new byte[] { 8 }]], static (r, w) => w.Values(r)));
        wrongType.Message.ShouldContain("Column at of proj_row_writer_sample was given a Int32");
        var tooMany = await Should.ThrowAsync<ArgumentException>(() => table.InsertAsync<object?[]>([[8L, "eight", null, 8L, new byte[] { 8 }, 9L]], static (r, w) => w.Values(r)));
        tooMany.Message.ShouldContain("more than its 5 columns");
        var nullKey = await Should.ThrowAsync<ArgumentException>(() => table.InsertAsync<object?[]>([[null, "eight", null, 8L, new byte[] { 8 }]], static (r, w) => w.Values(r)));
        nullKey.Message.ShouldContain("Column id of proj_row_writer_sample is not nullable");
        (await table.ReadAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_typed_row_that_does_not_fit_its_table_is_refused()
    {
        await using var table = await SampleTableAsync();

        var tooFew = await Should.ThrowAsync<ArgumentException>(() => table.InsertAsync([1L], static (id, w) => w.Long(id)));
        tooFew.Message.ShouldContain("was given 1 values; the table has 5 columns");
        var wrongKind = await Should.ThrowAsync<ArgumentException>(() => table.InsertAsync([1L], static (id, w) => w.Text("not a number")));
        wrongKind.Message.ShouldContain("Column id of proj_row_writer_sample holds Long values, not Text");
        var nullText = await Should.ThrowAsync<ArgumentException>(() => table.InsertAsync([1L], static (id, w) =>
        {
            w.Long(id);
            w.Text(null);
        }));
        nullText.Message.ShouldContain("Column name of proj_row_writer_sample is not nullable");
        var nullBytes = await Should.ThrowAsync<ArgumentException>(() => table.InsertAsync([1L], static (id, w) =>
        {
            w.Long(id);
            w.Text("x");
            w.Text(null);
            w.Long((long?)null);
            w.Bytes(null);
        }));
        nullBytes.Message.ShouldContain("Column hash of proj_row_writer_sample is not nullable");
        (await table.ReadAsync()).ShouldBeEmpty();
    }

    /// <summary>A fresh <see cref="Sample"/> table in a new read-model database; each insert is its own transaction.</summary>
    private async Task<SampleTable> SampleTableAsync()
    {
        var ledger = await NewLedgerAsync();
        var db = ledger.Engine.Database;
        var connection = await db.OpenAsync(CancellationToken.None);
        await using (var setup = await db.BeginWriteAsync(connection, CancellationToken.None))
        {
            await Sql.ExecuteAsync(connection, setup, $"DROP TABLE IF EXISTS {Sample.LiveName}", CancellationToken.None);
            await Sql.ExecuteAsync(connection, setup, db.CreateTable(Sample, Sample.LiveName), CancellationToken.None);
            await setup.CommitAsync();
        }

        return new SampleTable(db, connection);
    }

    private sealed class SampleTable(ProjectionDatabase db, DbConnection connection) : IAsyncDisposable
    {
        public async Task InsertAsync<T>(IReadOnlyList<T> rows, Action<T, RowWriter> write)
        {
            await using var transaction = await db.BeginWriteAsync(connection, CancellationToken.None);
            await db.InsertAsync(connection, transaction, Sample, Sample.LiveName, rows, write, CancellationToken.None);
            await transaction.CommitAsync();
        }

        public async Task<List<SampleRow>> ReadAsync()
        {
            var rows = new List<SampleRow>();
            await using var command = Sql.Command(connection, null, $"SELECT {Sample.ColumnList} FROM {Sample.LiveName} ORDER BY id");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(new SampleRow(reader.GetInt64(0), reader.GetString(1), Sql.NullableText(reader, 2), Sql.NullableLong(reader, 3), (byte[])reader.GetValue(4)));
            }

            return rows;
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
