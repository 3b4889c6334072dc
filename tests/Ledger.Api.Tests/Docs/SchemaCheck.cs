using System.Text.Json;

namespace Ledger.Api.Tests.Docs;

/// <summary>
/// Checks a JSON value against a schema of the OpenAPI document, for the parts of JSON Schema the document uses:
/// <c>$ref</c>, <c>allOf</c>, <c>anyOf</c>, <c>oneOf</c> (with its discriminator), <c>type</c>, <c>enum</c>,
/// <c>const</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c> and <c>items</c>.
/// </summary>
internal static class SchemaCheck
{
    /// <summary>Every way <paramref name="value"/> breaks the schema; empty when it matches.</summary>
    public static List<string> Errors(JsonElement value, JsonElement schema, JsonElement document, string path = "$")
    {
        var errors = new List<string>();
        Check(value, schema, document, path, errors);
        return errors;
    }

    public static JsonElement Component(JsonElement document, string name) =>
        document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static void Check(JsonElement value, JsonElement schema, JsonElement document, string path, List<string> errors)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!;
            name.ShouldStartWith("#/components/schemas/");
            Check(value, Component(document, name["#/components/schemas/".Length..]), document, path, errors);
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                Check(value, part, document, path, errors);
            }
        }

        if (schema.TryGetProperty("anyOf", out var anyOf) && !anyOf.EnumerateArray().Any(s => Errors(value, s, document, path).Count == 0))
        {
            errors.Add($"{path}: matches none of anyOf");
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            if (schema.TryGetProperty("discriminator", out var discriminator) && value.ValueKind == JsonValueKind.Object)
            {
                var property = discriminator.GetProperty("propertyName").GetString()!;
                var selector = value.TryGetProperty(property, out var p) ? p.GetString() : null;
                if (selector is null || !discriminator.GetProperty("mapping").TryGetProperty(selector, out var target))
                {
                    errors.Add($"{path}: {property} '{selector}' is not in the discriminator's mapping");
                }
                else
                {
                    oneOf.EnumerateArray().Any(s => s.GetProperty("$ref").GetString() == target.GetString())
                        .ShouldBeTrue($"{path}: the mapping of '{selector}' names a schema outside oneOf");
                    Check(value, JsonDocument.Parse($$"""{"$ref": "{{target.GetString()}}"}""").RootElement, document, path, errors);
                }
            }

            var matches = oneOf.EnumerateArray().Count(s => Errors(value, s, document, path).Count == 0);
            if (matches != 1)
            {
                errors.Add($"{path}: matches {matches} of oneOf, not exactly one");
            }
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
        {
            errors.Add($"{path}: is {value.GetRawText()}, not the constant {constant.GetRawText()}");
        }

        if (schema.TryGetProperty("enum", out var enumeration) && !enumeration.EnumerateArray().Any(e => JsonElement.DeepEquals(e, value)))
        {
            errors.Add($"{path}: {value.GetRawText()} is not one of {enumeration.GetRawText()}");
        }

        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!types.Any(t => IsOfType(value, t)))
            {
                errors.Add($"{path}: {value.ValueKind} is not {string.Join(" or ", types)}");
                return;
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var declared = schema.TryGetProperty("properties", out var properties) ? properties : default;
            foreach (var member in value.EnumerateObject())
            {
                if (declared.ValueKind == JsonValueKind.Object && declared.TryGetProperty(member.Name, out var memberSchema))
                {
                    Check(member.Value, memberSchema, document, $"{path}.{member.Name}", errors);
                }
                else if (schema.TryGetProperty("additionalProperties", out var additional))
                {
                    if (additional.ValueKind == JsonValueKind.False)
                    {
                        errors.Add($"{path}: member '{member.Name}' is not in the schema");
                    }
                    else if (additional.ValueKind == JsonValueKind.Object)
                    {
                        Check(member.Value, additional, document, $"{path}.{member.Name}", errors);
                    }
                }
            }

            if (schema.TryGetProperty("required", out var required))
            {
                errors.AddRange(required.EnumerateArray().Select(r => r.GetString()!).Where(r => !value.TryGetProperty(r, out _))
                    .Select(r => $"{path}: required member '{r}' is missing"));
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, items, document, $"{path}[{i++}]", errors);
            }
        }
    }

    private static bool IsOfType(JsonElement value, string type) => type switch
    {
        "null" => value.ValueKind == JsonValueKind.Null,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => throw new InvalidOperationException($"Unknown JSON Schema type '{type}'."),
    };
}
