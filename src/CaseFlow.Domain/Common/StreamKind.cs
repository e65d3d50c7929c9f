namespace CaseFlow.Domain.Common;

/// <summary>
/// A kind of event stream (inquiry, case, notice, pickup, …): its stable name, its empty state and the pure
/// fold that evolves the state by one event. Loading a stream folds its events with <see cref="Evolve"/>.
/// </summary>
public sealed record StreamKind<TState>(string Name, TState Initial, Func<TState, object, TState> Evolve)
{
    public TState Fold(IEnumerable<object> events) => events.Aggregate(Initial, Evolve);
}
