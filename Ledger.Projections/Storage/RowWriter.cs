using System.Globalization;

namespace Ledger.Projections.Storage;

/// <summary>
/// Writes the rows of one bulk insert value by value, in the table's column order, without boxing them
/// into <c>object?[]</c>: SQLite binds each value to one prepared statement, PostgreSQL writes it to a binary COPY.
/// </summary>
/// <remarks>
/// Every value is checked against its column (kind, nullability, count), so a row that does not fit its table
/// throws before anything of it is stored. Not thread-safe: one per insert.
/// </remarks>
internal abstract class RowWriter(TableSpec table, string name)
{
    private int _column;

    public void Long(long value) => WriteLong(Next(ColumnKind.Long, isNull: false), value);

    public void Long(long? value)
    {
        if (value is { } v)
        {
            Long(v);
        }
        else
        {
            WriteNull(Next(ColumnKind.Long, isNull: true));
        }
    }

    public void Text(string? value)
    {
        var i = Next(ColumnKind.Text, value is null);
        if (value is null)
        {
            WriteNull(i);
        }
        else
        {
            WriteText(i, value);
        }
    }

    /// <summary>A text value already encoded as UTF-8 (read before this call returns, so the buffer may be reused).</summary>
    public void Utf8Text(ReadOnlySpan<byte> value) => WriteUtf8(Next(ColumnKind.Text, isNull: false), value);

    public void Bytes(byte[]? value)
    {
        var i = Next(ColumnKind.Bytes, value is null);
        if (value is null)
        {
            WriteNull(i);
        }
        else
        {
            WriteBytes(i, value);
        }
    }

    /// <summary>Writes boxed values (<c>long</c>, <c>string</c>, <c>byte[]</c> or null), in column order.</summary>
    public void Values(object?[] row)
    {
        foreach (var value in row)
        {
            switch (value)
            {
                case null:
                    WriteNull(Next(table.Columns[Math.Min(_column, table.Columns.Count - 1)].Kind, isNull: true));
                    break;
                case long v:
                    Long(v);
                    break;
                case string v:
                    Text(v);
                    break;
                case byte[] v:
                    Bytes(v);
                    break;
                default:
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"Column {ColumnName(_column)} of {name} was given a {value.GetType().Name}."), nameof(row));
            }
        }
    }

    /// <summary>Ends a row: every column must have had its value.</summary>
    public void EndRow()
    {
        if (_column != table.Columns.Count)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture, $"A row of {name} was given {_column} values; the table has {table.Columns.Count} columns."));
        }

        _column = 0;
    }

    protected abstract void WriteNull(int column);

    protected abstract void WriteLong(int column, long value);

    protected abstract void WriteText(int column, string value);

    protected abstract void WriteUtf8(int column, ReadOnlySpan<byte> value);

    protected abstract void WriteBytes(int column, byte[] value);

    private int Next(ColumnKind kind, bool isNull)
    {
        var i = _column;
        if (i >= table.Columns.Count)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture, $"A row of {name} was given more than its {table.Columns.Count} columns' values."));
        }

        var column = table.Columns[i];
        if (column.Kind != kind)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture, $"Column {column.Name} of {name} holds {column.Kind} values, not {kind}."));
        }

        if (isNull && !column.Nullable)
        {
            throw new ArgumentException($"Column {column.Name} of {name} is not nullable.");
        }

        _column = i + 1;
        return i;
    }

    private string ColumnName(int i) => i < table.Columns.Count ? table.Columns[i].Name : "#" + (i + 1).ToString(CultureInfo.InvariantCulture);
}
