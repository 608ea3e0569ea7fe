using System.Buffers;

namespace Gateway.Benchmarks.Http;

/// <summary>Cuts a buffer into a multi-segment sequence, the shape a pipe hands out after several small reads.</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] splitPoints)
    {
        Segment? first = null;
        Segment? last = null;
        int start = 0;
        foreach (int end in splitPoints.Append(data.Length))
        {
            var memory = data.AsMemory(start, end - start);
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
            start = end;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

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
