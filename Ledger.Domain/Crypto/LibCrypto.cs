using System.Reflection;
using System.Runtime.InteropServices;

namespace Ledger.Domain.Crypto;

/// <summary>
/// Source-generated bindings to the platform's OpenSSL libcrypto (1.1.1 or 3.x), used for Ed25519 and, with 3.x, for
/// the Merkle tree's SHA-256 (<see cref="Sha256Native"/>).
/// </summary>
/// <remarks>
/// The imports name the logical library <see cref="LibraryName"/>; a resolver registered on this assembly maps it
/// to the first of <see cref="Candidates"/> that loads and exports every function used here. The resolver is
/// registered once, before the first call, by <see cref="EnsureLoaded"/>.
/// </remarks>
internal static partial class LibCrypto
{
    internal const string LibraryName = "ledger-libcrypto";

    /// <summary>OpenSSL's <c>EVP_PKEY_ED25519</c> (= <c>NID_ED25519</c>).</summary>
    internal const int EvpPkeyEd25519 = 1087;

    /// <summary>Library file names tried in order.</summary>
    internal static readonly IReadOnlyList<string> Candidates =
        ["libcrypto.so.3", "libcrypto.so", "libcrypto.so.1.1", "libcrypto.3.dylib", "libcrypto.dylib", "libcrypto-3-x64.dll"];

    private static readonly string[] RequiredExports =
    [
        "EVP_PKEY_new_raw_private_key", "EVP_PKEY_new_raw_public_key", "EVP_PKEY_get_raw_public_key", "EVP_PKEY_free",
        "EVP_MD_CTX_new", "EVP_MD_CTX_free", "EVP_DigestSignInit", "EVP_DigestSign", "EVP_DigestVerifyInit",
        "EVP_DigestVerify", "ERR_clear_error",
    ];

    private static readonly Lazy<LoadResult> Loaded = new(LoadAndRegister, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The outcome of looking for libcrypto: the handle, the file that loaded, or why none did.</summary>
    internal readonly record struct LoadResult(nint Handle, string? LibraryFile, string Detail)
    {
        public bool IsLoaded => Handle != 0;
    }

    /// <summary>Loads libcrypto once and registers the import resolver; returns what happened.</summary>
    internal static LoadResult EnsureLoaded() => Loaded.Value;

    /// <summary>Tries each candidate file name and returns the first that exports every required function.</summary>
    internal static LoadResult Probe(IEnumerable<string> candidates)
    {
        var tried = new List<string>();
        foreach (var candidate in candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, typeof(LibCrypto).Assembly, DllImportSearchPath.SafeDirectories, out var handle))
            {
                tried.Add(candidate + " (not found)");
                continue;
            }

            var missing = RequiredExports.FirstOrDefault(name => !NativeLibrary.TryGetExport(handle, name, out _));
            if (missing is not null)
            {
                tried.Add(candidate + " (no " + missing + ")");
                continue;
            }

            return new LoadResult(handle, candidate, "loaded " + candidate);
        }

        return new LoadResult(0, null, "tried " + string.Join(", ", tried));
    }

    /// <summary>Whether the loaded library also exports every function in <paramref name="names"/>.</summary>
    internal static bool Exports(params string[] names)
    {
        var loaded = EnsureLoaded();
        return loaded.IsLoaded && names.All(name => NativeLibrary.TryGetExport(loaded.Handle, name, out _));
    }

    private static LoadResult LoadAndRegister()
    {
        var result = Probe(Candidates);
        if (result.IsLoaded)
        {
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(LibCrypto).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // A resolver is already registered for this assembly; it must map LibraryName itself.
            }
        }

        return result;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibraryName ? Loaded.Value.Handle : 0;

    [LibraryImport(LibraryName)]
    internal static unsafe partial nint EVP_PKEY_new_raw_private_key(int type, nint engine, byte* key, nuint keyLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial nint EVP_PKEY_new_raw_public_key(int type, nint engine, byte* key, nuint keyLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int EVP_PKEY_get_raw_public_key(nint pkey, byte* publicKey, nuint* length);

    [LibraryImport(LibraryName)]
    internal static partial void EVP_PKEY_free(nint pkey);

    [LibraryImport(LibraryName)]
    internal static partial nint EVP_MD_CTX_new();

    [LibraryImport(LibraryName)]
    internal static partial void EVP_MD_CTX_free(nint context);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestSignInit(nint context, nint keyContext, nint digest, nint engine, nint pkey);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int EVP_DigestSign(nint context, byte* signature, nuint* signatureLength, byte* message, nuint messageLength);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestVerifyInit(nint context, nint keyContext, nint digest, nint engine, nint pkey);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int EVP_DigestVerify(nint context, byte* signature, nuint signatureLength, byte* message, nuint messageLength);

    [LibraryImport(LibraryName)]
    internal static partial void ERR_clear_error();

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint EVP_MD_fetch(nint libraryContext, string algorithm, string? properties);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestInit_ex2(nint context, nint digest, nint parameters);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int EVP_DigestUpdate(nint context, byte* data, nuint length);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int EVP_DigestFinal_ex(nint context, byte* digest, uint* length);
}
