using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Chat;

/// <summary>
/// Everyone connected, each with an outbox. A broadcast only drops the line into every outbox; each connection's own
/// loop sends it, so one slow reader never holds up the others and sends to a connection always come from that
/// connection's own flow. An outbox that fills up (a reader that stopped reading) ends that member's session.
/// </summary>
public sealed class ChatRoom
{
    /// <summary>Lines a member may fall behind by before it is dropped.</summary>
    public const int OutboxCapacity = 256;

    private readonly ConcurrentDictionary<int, Member> _members = new();
    private int _lastId;

    public int Count => _members.Count;

    public Member Join()
    {
        var member = new Member(Interlocked.Increment(ref _lastId));
        _members[member.Id] = member;
        return member;
    }

    public void Leave(Member member)
    {
        if (_members.TryRemove(member.Id, out _)) member.Outbox.Writer.TryComplete();
    }

    public void Broadcast(string line)
    {
        foreach (var member in _members.Values)
        {
            if (!member.Outbox.Writer.TryWrite(line)) Leave(member);
        }
    }

    public sealed class Member(int id)
    {
        public int Id => id;

        public string Name => $"guest-{id}";

        public Channel<string> Outbox { get; } = Channel.CreateBounded<string>(new BoundedChannelOptions(OutboxCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
    }
}
