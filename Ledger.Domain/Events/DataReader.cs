using System.Globalization;
using System.Text.Json;

namespace Ledger.Domain.Events;

/// <summary>
/// Strict reader over one JSON object of event data. Each accessor reads a required member, checks
/// its kind and format and records every problem as <c>path: message</c>; <see cref="Finish"/>
/// rejects members that were never asked for. A reader never throws on bad input: callers build
/// the event only when the shared error list stayed empty.
/// </summary>
internal sealed class DataReader
{
    private const int LinearScanLimit = 16;

    private readonly JsonElement _object;
    private readonly string _path;
    private readonly List<string> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    // The object's member names in document order, read once by Open and checked again by Finish.
    private readonly List<string> _names;

    private DataReader(JsonElement element, string path, List<string> errors, List<string> names)
    {
        _object = element;
        _path = path;
        _errors = errors;
        _names = names;
    }

    /// <summary>Whether any error has been recorded so far (in this object or elsewhere).</summary>
    public bool HasErrors => _errors.Count > 0;

    /// <summary>Opens an object; records an error and returns null when the element is not one.</summary>
    public static DataReader? Open(JsonElement element, string path, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{(path.Length == 0 ? "data" : path)}: expected an object, found {KindOf(element)}");
            return null;
        }

        // Event data objects have a handful of members: a linear scan finds a duplicate without a set, up to a bound that
        // keeps a large object from costing quadratic time.
        var names = new List<string>();
        HashSet<string>? seen = null;
        foreach (var member in element.EnumerateObject())
        {
            var name = member.Name;
            if (seen is null && names.Count == LinearScanLimit)
            {
                seen = new HashSet<string>(names, StringComparer.Ordinal);
            }

            var duplicate = seen is null ? names.Contains(name, StringComparer.Ordinal) : !seen.Add(name);
            if (duplicate)
            {
                errors.Add($"{Join(path, name)}: duplicate member");
            }

            names.Add(name);
        }

        return new DataReader(element, path, errors, names);
    }

    /// <summary>Whether the object has a member <paramref name="name"/> (for optional members).</summary>
    public bool Has(string name) => _object.TryGetProperty(name, out _);

    /// <summary>A required, non-null string; empty only when <paramref name="allowEmpty"/>.</summary>
    public string? String(string name, Func<string, string?>? rule = null, bool allowEmpty = false) =>
        ReadString(name, rule, allowEmpty, nullable: false);

    /// <summary>A required member that is a string or null.</summary>
    public string? NullableString(string name, Func<string, string?>? rule = null) =>
        ReadString(name, rule, allowEmpty: false, nullable: true);

    /// <summary>A required integer (no fraction, no exponent) not below <paramref name="minimum"/>.</summary>
    public long? Int64(string name, long minimum = 0)
    {
        if (!Member(name, out var value))
        {
            return null;
        }

        return ReadInt64(value, Join(_path, name), minimum);
    }

    /// <summary>A required boolean.</summary>
    public bool? Boolean(string name)
    {
        if (!Member(name, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Error(name, $"expected a boolean, found {KindOf(value)}");
        return null;
    }

    /// <summary>A required RFC 3339 timestamp.</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (Rfc3339.TryParse(text, out var value))
        {
            return value;
        }

        Error(name, $"must be an RFC 3339 timestamp such as 2025-01-01T00:00:00Z, found '{text}'");
        return null;
    }

    /// <summary>A required string that is one of the keys of <paramref name="values"/>.</summary>
    public T? Enum<T>(string name, IReadOnlyDictionary<string, T> values)
        where T : struct
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (values.TryGetValue(text, out var value))
        {
            return value;
        }

        Error(name, $"must be one of {string.Join(", ", values.Keys.Select(k => $"'{k}'"))}, found '{text}'");
        return null;
    }

    /// <summary>A required array of strings.</summary>
    public IReadOnlyList<string>? StringArray(string name, bool nonEmpty, bool unique, Func<string, string?>? rule = null)
    {
        if (!Array(name, nonEmpty, out var array))
        {
            return null;
        }

        var items = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{Join(_path, name)}[{index.ToString(CultureInfo.InvariantCulture)}]";
            index++;
            if (item.ValueKind != JsonValueKind.String)
            {
                _errors.Add($"{path}: expected a string, found {KindOf(item)}");
                ok = false;
                continue;
            }

            var text = item.GetString()!;
            var problem = text.Length == 0 ? "must not be empty" : rule?.Invoke(text);
            if (problem is null && unique && !seen.Add(text))
            {
                problem = $"duplicate value '{text}'";
            }

            if (problem is not null)
            {
                _errors.Add($"{path}: {problem}");
                ok = false;
                continue;
            }

            items.Add(text);
        }

        return ok ? items : null;
    }

    /// <summary>A required array of integers, strictly ascending when <paramref name="ascending"/>.</summary>
    public IReadOnlyList<long>? Int64Array(string name, bool nonEmpty, bool ascending, long minimum = 0)
    {
        if (!Array(name, nonEmpty, out var array))
        {
            return null;
        }

        var items = new List<long>();
        var ok = true;
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{Join(_path, name)}[{index.ToString(CultureInfo.InvariantCulture)}]";
            index++;
            var value = ReadInt64(item, path, minimum);
            if (value is null)
            {
                ok = false;
                continue;
            }

            if (ascending && items.Count > 0 && value.Value <= items[^1])
            {
                _errors.Add($"{path}: must be greater than the previous value {items[^1].ToString(CultureInfo.InvariantCulture)}");
                ok = false;
                continue;
            }

            items.Add(value.Value);
        }

        return ok ? items : null;
    }

    /// <summary>A required array of objects, each read by <paramref name="read"/>.</summary>
    public IReadOnlyList<T>? ObjectArray<T>(string name, bool nonEmpty, Func<DataReader, T?> read)
        where T : class
    {
        if (!Array(name, nonEmpty, out var array))
        {
            return null;
        }

        var items = new List<T>();
        var ok = true;
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{Join(_path, name)}[{index.ToString(CultureInfo.InvariantCulture)}]";
            index++;
            var before = _errors.Count;
            var reader = Open(item, path, _errors);
            var value = reader is null ? null : read(reader);
            reader?.Finish();
            if (value is null || _errors.Count != before)
            {
                ok = false;
                continue;
            }

            items.Add(value);
        }

        return ok ? items : null;
    }

    /// <summary>
    /// A member that is an object (read by <paramref name="read"/>) or, when <paramref name="nullable"/>, null.
    /// When <paramref name="required"/> is false a missing member reads as null.
    /// </summary>
    public T? Object<T>(string name, Func<DataReader, T?> read, bool nullable, bool required = true)
        where T : class
    {
        _known.Add(name);
        if (!_object.TryGetProperty(name, out var value))
        {
            if (required)
            {
                Error(name, "required member is missing");
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!nullable)
            {
                Error(name, "must not be null");
            }

            return null;
        }

        var before = _errors.Count;
        var reader = Open(value, Join(_path, name), _errors);
        if (reader is null)
        {
            return null;
        }

        var result = read(reader);
        reader.Finish();
        return _errors.Count == before ? result : null;
    }

    /// <summary>Records an error for every member that no accessor asked for.</summary>
    public void Finish()
    {
        foreach (var name in _names)
        {
            if (!_known.Contains(name))
            {
                _errors.Add($"{Join(_path, name)}: unknown member");
            }
        }
    }

    /// <summary>Records an error against a member of this object.</summary>
    public void Error(string name, string message) => _errors.Add($"{Join(_path, name)}: {message}");

    private string? ReadString(string name, Func<string, string?>? rule, bool allowEmpty, bool nullable)
    {
        if (!Member(name, out var value, nullable))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(name, $"expected a string{(nullable ? " or null" : "")}, found {KindOf(value)}");
            return null;
        }

        var text = value.GetString()!;
        var problem = text.Length == 0 && !allowEmpty ? "must not be empty" : rule?.Invoke(text);
        if (problem is not null)
        {
            Error(name, problem);
            return null;
        }

        return text;
    }

    private bool Array(string name, bool nonEmpty, out JsonElement array)
    {
        if (!Member(name, out array))
        {
            return false;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            Error(name, $"expected an array, found {KindOf(array)}");
            return false;
        }

        if (nonEmpty && array.GetArrayLength() == 0)
        {
            Error(name, "must not be empty");
            return false;
        }

        return true;
    }

    private long? ReadInt64(JsonElement value, string path, long minimum)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            _errors.Add($"{path}: expected an integer, found {KindOf(value)}");
            return null;
        }

        if (!value.TryGetInt64(out var number))
        {
            _errors.Add($"{path}: must be an integer without fraction or exponent that fits in 64 bits, found {value.GetRawText()}");
            return null;
        }

        if (number < minimum)
        {
            _errors.Add($"{path}: must be at least {minimum.ToString(CultureInfo.InvariantCulture)}, found {number.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return number;
    }

    /// <summary>Finds a required member; a null value is an error unless <paramref name="nullable"/> (then returns false quietly).</summary>
    private bool Member(string name, out JsonElement value, bool nullable = false)
    {
        _known.Add(name);
        if (!_object.TryGetProperty(name, out value))
        {
            Error(name, "required member is missing");
            return false;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!nullable)
            {
                Error(name, "must not be null");
            }

            return false;
        }

        return true;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string KindOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
