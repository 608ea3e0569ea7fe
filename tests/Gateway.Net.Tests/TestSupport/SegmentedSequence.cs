using System.Buffers;

namespace Gateway.Net.TestSupport;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, the shape a pipe hands out after several reads.</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Create(params byte[][] segments)
    {
        if (segments.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(segments[0], 0);
        var last = first;
        for (int i = 1; i < segments.Length; i++)
        {
            last = last.Append(segments[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits <paramref name="data"/> at the given ascending offsets (empty segments allowed).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] splitPoints)
    {
        var segments = new List<byte[]>();
        int start = 0;
        foreach (int point in splitPoints)
        {
            segments.Add(data[start..point]);
            start = point;
        }

        segments.Add(data[start..]);
        return Create(segments.ToArray());
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) =>
        Create(data.Select(b => new[] { b }).ToArray());

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
