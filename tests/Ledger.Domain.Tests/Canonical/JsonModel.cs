using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Ledger.Domain.Tests.Canonical;

/// <summary>A JSON value built by the tests, so that the canonicalizer's output can be checked against what was meant.</summary>
internal abstract record JsonModel
{
    public static readonly JsonModel Null = new JsonLiteral("null");

    /// <summary>Random values: every kind, keys and strings with controls, escapes, non-ASCII and surrogate pairs, doubles from the whole range.</summary>
    public static Gen<JsonModel> Generator { get; } = Gen.Sized(size => Sized(Math.Min(size, 30), depth: 0));

    /// <summary>Random JSON objects (the shape of event data).</summary>
    public static Gen<JsonModel> ObjectGenerator { get; } = Generator.Where(value => value is JsonObject);

    /// <summary>Writes the value as JSON, choosing member order, whitespace, escapes and number spelling from <paramref name="random"/>.</summary>
    public abstract void Render(StringBuilder text, Random random);

    public string Render(Random random)
    {
        var text = new StringBuilder();
        Whitespace(text, random);
        Render(text, random);
        Whitespace(text, random);
        return text.ToString();
    }

    protected static void Whitespace(StringBuilder text, Random random)
    {
        while (random.Next(4) == 0)
        {
            text.Append(" \t\r\n"[random.Next(4)]);
        }
    }

    private static Gen<JsonModel> Sized(int size, int depth)
    {
        var scalars = Gen.OneOf(
            Gen.Elements<JsonModel>(Null, new JsonLiteral("true"), new JsonLiteral("false")),
            Number.Select(value => (JsonModel)new JsonNumber(value)),
            Strings.Select(value => (JsonModel)new JsonString(value)));
        if (size <= 1 || depth >= 6)
        {
            return scalars;
        }

        var child = Sized(size / 2, depth + 1);
        var array = Gen.ListOf(child).Resize(Math.Min(size, 6)).Select(items => (JsonModel)new JsonArray([.. items]));
        var members = Gen.Zip(Strings, child).ListOf().Resize(Math.Min(size, 6))
            .Select(pairs => (JsonModel)new JsonObject([.. pairs.DistinctBy(pair => pair.Item1, StringComparer.Ordinal)]));
        return Gen.Frequency((3, scalars), (1, array), (2, members));
    }

    /// <summary>Doubles from random bit patterns: every exponent, subnormals, both signs.</summary>
    public static Gen<double> AnyFiniteDouble { get; } =
        Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
            .Select(p => BitConverter.Int64BitsToDouble(unchecked(((long)p.Item1 << 32) | (uint)p.Item2)))
            .Where(double.IsFinite);

    private static Gen<double> Number { get; } = Gen.OneOf(
        Gen.Choose(-1000, 1000).Select(i => (double)i),
        AnyFiniteDouble,
        Gen.Zip(Gen.Choose(-999_999, 999_999), Gen.Choose(-30, 30)).Select(p => p.Item1 * Math.Pow(10, p.Item2)),
        Gen.Elements(0.0, -0.0, 1e21, 1e-7, 5e-324, double.MaxValue, double.MinValue, 9007199254740992.0));

    /// <summary>Short strings mixing controls, quotes, backslashes, non-ASCII and supplementary characters.</summary>
    public static Gen<string> Strings { get; } = Gen.OneOf(
            Gen.Elements("a", "b", "é", "\u20ac", "\ud83d\ude00", "\u0000", "\u001f", "\"", "\\", "/", "\u2028", "\u007f", "\ufb33", "\ue000", " ", "1"),
            Gen.Choose(0x20, 0x7e).Select(c => ((char)c).ToString()),
            Gen.Choose(0, 0x1f).Select(c => ((char)c).ToString()),
            Gen.Choose(0x80, 0xd7ff).Select(c => ((char)c).ToString()),
            Gen.Choose(0x10000, 0x10ffff).Select(char.ConvertFromUtf32))
        .ListOf().Resize(5).Select(string.Concat);
}

internal sealed record JsonLiteral(string Text) : JsonModel
{
    public override void Render(StringBuilder text, Random random) => text.Append(Text);
}

internal sealed record JsonNumber(double Value) : JsonModel
{
    private static readonly string[] Formats = ["R", "E16", "G17", "E20"];

    public override void Render(StringBuilder text, Random random) =>
        text.Append(Value.ToString(Formats[random.Next(Formats.Length)], CultureInfo.InvariantCulture));
}

internal sealed record JsonString(string Value) : JsonModel
{
    public override void Render(StringBuilder text, Random random) => RenderString(text, Value, random);

    public static void RenderString(StringBuilder text, string value, Random random)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var mustEscape = c < 0x20 || c == '"' || c == '\\';
            var escape = mustEscape || random.Next(5) == 0;
            if (char.IsHighSurrogate(c))
            {
                // A pair is written whole: both halves literal, or both as \u escapes.
                var low = value[++i];
                text.Append(escape ? Escaped(c, random) + Escaped(low, random) : string.Concat(c, low));
            }
            else if (!escape)
            {
                text.Append(c);
            }
            else if (c is '"' or '\\' && random.Next(2) == 0)
            {
                text.Append('\\').Append(c);
            }
            else if (c == '\n' && random.Next(2) == 0)
            {
                text.Append("\\n");
            }
            else
            {
                text.Append(Escaped(c, random));
            }
        }

        text.Append('"');
    }

    private static string Escaped(char c, Random random) =>
        "\\u" + ((int)c).ToString(random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture);
}

internal sealed record JsonArray(JsonModel[] Items) : JsonModel
{
    public override void Render(StringBuilder text, Random random)
    {
        text.Append('[');
        for (var i = 0; i < Items.Length; i++)
        {
            if (i > 0)
            {
                Whitespace(text, random);
                text.Append(',');
            }

            Whitespace(text, random);
            Items[i].Render(text, random);
        }

        Whitespace(text, random);
        text.Append(']');
    }
}

internal sealed record JsonObject((string Key, JsonModel Value)[] Members) : JsonModel
{
    public override void Render(StringBuilder text, Random random)
    {
        text.Append('{');
        var order = Members.OrderBy(_ => random.Next()).ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            Whitespace(text, random);
            JsonString.RenderString(text, order[i].Key, random);
            Whitespace(text, random);
            text.Append(':');
            Whitespace(text, random);
            order[i].Value.Render(text, random);
            Whitespace(text, random);
        }

        text.Append('}');
    }
}
