using System.Text.Json;

namespace Gateway.Apig.Common;

/// <summary>Reads one top-level string property of stored JSON without binding to another family's types.</summary>
internal static class JsonProbe
{
    public static string? ReadString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> propertyName)
    {
        var reader = new Utf8JsonReader(json);
        var depth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    depth--;
                    break;
                case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals(propertyName):
                    reader.Read();
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }

        return null;
    }
}
