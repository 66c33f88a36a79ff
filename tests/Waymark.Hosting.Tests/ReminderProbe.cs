namespace Waymark.Hosting.Tests;

/// <summary>A grain that counts, durably, how often its reminder fired.</summary>
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Arm(TimeSpan dueTime, TimeSpan period);

    Task<int> Fired();
}

public sealed class ReminderProbeGrain(
    [PersistentState("reminder-probe", Waymark.Grains.GrainStorage.ProviderName)] IPersistentState<ReminderProbeState> state)
    : Grain, IReminderProbeGrain, IRemindable
{
    public Task Arm(TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder("probe", dueTime, period);

    public Task<int> Fired() => Task.FromResult(state.State.Fired);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Fired++;
        await state.WriteStateAsync();
    }
}

public sealed class ReminderProbeState
{
    public int Fired { get; set; }
}
