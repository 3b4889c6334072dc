using System.Text.RegularExpressions;

namespace Ledger.Domain.Events;

/// <summary>Format rules shared by the event codecs; each returns an error message or null.</summary>
internal static partial class DataFormats
{
    public const string Sha256Message = "must be 'sha256:' followed by 64 lowercase hex digits";

    public static bool IsSha256Digest(string value) => Sha256Pattern().IsMatch(value);

    public static string? Sha256Digest(string value) => IsSha256Digest(value) ? null : Sha256Message;

    public static string? AbsoluteUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out _) && value.Trim() == value
            ? null
            : "must be an absolute URI (a workload identity such as spiffe://domain/workload)";

    public static string? Domain(string value) =>
        value == "*" ? "'*' is not a domain name" : value.Trim() != value ? "must not have leading or trailing white space" : null;

    public static string? DomainOrWildcard(string value) =>
        value == "*" ? null : Domain(value);

    [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();
}
