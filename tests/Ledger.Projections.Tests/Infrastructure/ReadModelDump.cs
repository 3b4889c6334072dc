using System.Globalization;
using System.Text;
using System.Text.Json;
using Ledger.Projections.Engine;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Tests.Infrastructure;

/// <summary>
/// Every row of every live read-model table and each projection's position, as text lines in primary-key
/// order: two read models are the same when their dumps are. Bookkeeping times are left out.
/// </summary>
internal static class ReadModelDump
{
    public static async Task<IReadOnlyList<string>> TakeAsync(ProjectionEngine engine)
    {
        var lines = new List<string>();
        await using var connection = await engine.Database.OpenAsync(CancellationToken.None);
        await using (var command = Sql.Command(
            connection, null, $"SELECT name, position, rebuild_state, rebuild_position FROM {ProjectionSchema.Positions.LiveName} ORDER BY name"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add("positions " + Row(reader, 4));
            }
        }

        foreach (var table in engine.Runners.Values.SelectMany(r => r.Projection.Tables))
        {
            await using var command = Sql.Command(
                connection, null, $"SELECT {table.ColumnList} FROM {table.LiveName} ORDER BY {string.Join(", ", table.PrimaryKey)}");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(table.Name + " " + Row(reader, table.Columns.Count));
            }
        }

        return lines;
    }

    /// <summary>Asserts equal dumps, naming the first line that differs.</summary>
    public static void ShouldMatch(this IReadOnlyList<string> actual, IReadOnlyList<string> expected, string what)
    {
        for (var i = 0; i < Math.Min(actual.Count, expected.Count); i++)
        {
            actual[i].ShouldBe(expected[i], $"{what}: line {i} differs");
        }

        actual.Count.ShouldBe(expected.Count, $"{what}: the dumps have different lengths");
    }

    private static string Row(System.Data.Common.DbDataReader reader, int columns)
    {
        var text = new StringBuilder();
        for (var i = 0; i < columns; i++)
        {
            text.Append(i == 0 ? "" : " | ").Append(reader.IsDBNull(i) ? "null" : reader.GetValue(i) switch
            {
                long l => l.ToString(CultureInfo.InvariantCulture),
                int n => n.ToString(CultureInfo.InvariantCulture),
                string s => JsonSerializer.Serialize(s),
                byte[] b => Convert.ToHexStringLower(b),
                var other => throw new InvalidOperationException($"Unexpected column value {other.GetType()}"),
            });
        }

        return text.ToString();
    }
}
