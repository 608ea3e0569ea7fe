using System.Reflection;
using System.Runtime.InteropServices;

namespace Gateway.Storage.Compression;

/// <summary>
/// Bindings to the LZ4 frame API of the reference C library (<c>liblz4.so.1</c>, Debian package <c>liblz4-1</c>).
/// <see cref="IsAvailable"/> probes the library once, so callers can fall back instead of failing on first use.
/// </summary>
internal static unsafe partial class Lz4Native
{
    public const string LibraryName = "liblz4.so.1";

    /// <summary>LZ4F_VERSION: the frame API version the structures below follow.</summary>
    public const uint FrameApiVersion = 100;

    private static readonly string[] s_requiredExports =
    [
        "LZ4F_compressFrame", "LZ4F_compressFrameBound", "LZ4F_createDecompressionContext",
        "LZ4F_decompress", "LZ4F_freeDecompressionContext", "LZ4F_isError", "LZ4F_getErrorName",
    ];

    private static readonly Lazy<bool> s_available = new(Probe);

    /// <summary>Whether the library loads and exports every function used here.</summary>
    public static bool IsAvailable => s_available.Value;

    [LibraryImport(LibraryName)]
    public static partial nuint LZ4F_compressFrameBound(nuint srcSize, Preferences* preferences);

    [LibraryImport(LibraryName)]
    public static partial nuint LZ4F_compressFrame(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, Preferences* preferences);

    [LibraryImport(LibraryName)]
    public static partial nuint LZ4F_createDecompressionContext(nint* context, uint version);

    [LibraryImport(LibraryName)]
    public static partial nuint LZ4F_freeDecompressionContext(nint context);

    [LibraryImport(LibraryName)]
    public static partial nuint LZ4F_decompress(nint context, byte* dst, nuint* dstSize, byte* src, nuint* srcSize, void* options);

    [LibraryImport(LibraryName)]
    public static partial uint LZ4F_isError(nuint code);

    [LibraryImport(LibraryName)]
    private static partial byte* LZ4F_getErrorName(nuint code);

    public static string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)LZ4F_getErrorName(code)) ?? $"LZ4F error {code}";

    private static bool Probe()
    {
        if (!NativeLibrary.TryLoad(LibraryName, Assembly.GetExecutingAssembly(), null, out var handle))
        {
            return false;
        }

        // The handle stays loaded: the generated stubs resolve the same library by name.
        foreach (var export in s_requiredExports)
        {
            if (!NativeLibrary.TryGetExport(handle, export, out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>LZ4F_preferences_t (with its embedded LZ4F_frameInfo_t), laid out as in lz4frame.h since v1.8.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Preferences
    {
        public int BlockSizeId;
        public int BlockMode;
        public int ContentChecksumFlag;
        public int FrameType;
        public ulong ContentSize;
        public uint DictionaryId;
        public int BlockChecksumFlag;
        public int CompressionLevel;
        public uint AutoFlush;
        public uint FavorDecompressionSpeed;
        public uint Reserved0;
        public uint Reserved1;
        public uint Reserved2;
    }
}
