using System.Reflection;
using System.Runtime.ExceptionServices;
using Ledger.Store;

namespace Ledger.Api.Tests.Federation;

/// <summary>
/// A store that behaves as the one it wraps, except that one marking method (a followed peer's split by default, or a
/// witnessed log's) throws, as if the process were killed at that point: whatever was committed before stays, the mark
/// never happens.
/// </summary>
public class StopsAtTheMark : DispatchProxy
{
    private IEventStore? _inner;
    private string _method = nameof(IEventStore.MarkFollowedPeerSplitAsync);

    public static IEventStore Over(IEventStore inner, string method = nameof(IEventStore.MarkFollowedPeerSplitAsync))
    {
        var proxy = Create<IEventStore, StopsAtTheMark>();
        var stopping = (StopsAtTheMark)(object)proxy;
        stopping._inner = inner;
        stopping._method = method;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == _method)
        {
            throw new IOException($"The process stopped before {_method}.");
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
