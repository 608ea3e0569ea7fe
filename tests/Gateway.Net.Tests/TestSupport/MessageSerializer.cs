using System.Buffers;
using System.Text;
using Gateway.Net.Http.Parsing;
using Gateway.Net.Http.Serialization;

namespace Gateway.Net.TestSupport;

/// <summary>Writes a parsed message back to the wire with the production head writer (bodies re-chunked as one chunk).</summary>
internal static class MessageSerializer
{
    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    public static byte[] Request(ParsedMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new Http1HeadWriter(output);
        writer.WriteRequestLine(Latin1(message.Method), Latin1(message.Target), message.Version);
        WriteFieldsAndBody(ref writer, output, message);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Response(ParsedMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new Http1HeadWriter(output);
        writer.WriteStatusLine(message.Version, message.StatusCode, Latin1(message.Reason));
        WriteFieldsAndBody(ref writer, output, message);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteFieldsAndBody(ref Http1HeadWriter writer, ArrayBufferWriter<byte> output, ParsedMessage message)
    {
        foreach (var (_, name, value) in message.Headers)
        {
            writer.WriteHeader(Latin1(name), Latin1(value));
        }

        writer.WriteEndOfHead();
        writer.Commit();

        if (message.Framing != BodyFraming.Chunked)
        {
            output.Write(message.Body);
            return;
        }

        if (message.Body.Length > 0)
        {
            Http1ChunkWriter.WriteChunkHeader(output, message.Body.Length);
            output.Write(message.Body);
            Http1ChunkWriter.WriteChunkEnd(output);
        }

        Http1ChunkWriter.WriteLastChunk(output);
        var trailers = new Http1HeadWriter(output);
        foreach (var (_, name, value) in message.Trailers)
        {
            trailers.WriteHeader(Latin1(name), Latin1(value));
        }

        trailers.WriteEndOfHead();
        trailers.Commit();
    }
}
