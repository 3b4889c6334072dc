using System.Reflection;
using System.Runtime.ExceptionServices;
using Ledger.Store;

namespace Ledger.Api.Tests.Federation;

/// <summary>
/// A store that behaves as the one it wraps, except that marking a followed peer split throws, as if the process were
/// killed at that point: whatever was committed before stays, the mark never happens.
/// </summary>
public class StopsAtTheMark : DispatchProxy
{
    private IEventStore? _inner;

    public static IEventStore Over(IEventStore inner)
    {
        var proxy = Create<IEventStore, StopsAtTheMark>();
        ((StopsAtTheMark)(object)proxy)._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IEventStore.MarkFollowedPeerSplitAsync))
        {
            throw new IOException("The process stopped before marking the peer.");
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
