using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Definitions.Templates;
using Waymark.Gateway.Tests.Delivery;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Inbox;

/// <summary>The channel registry and the recording channel, without a silo.</summary>
public class MessageChannelsTests
{
    private static OutgoingMessage Message(Channel channel, string id = "m-1") =>
        InboxApp.Message("u:ada", id, InboxApp.Monday, "Hello") with { Channel = channel };

    private static MessageChannels Registry(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection().AddSingleton<MessageChannels>();
        register(services);
        return services.BuildServiceProvider().GetRequiredService<MessageChannels>();
    }

    [Fact]
    public async Task Each_message_goes_to_the_channel_registered_under_its_channel()
    {
        var (sms, push) = (new RecordingChannel(), new RecordingChannel());
        var channels = Registry(s => s.AddKeyedSingleton<IMessageChannel>(Channel.Sms, sms).AddKeyedSingleton<IMessageChannel>(Channel.Push, push));

        Assert.Equal(DispatchResult.Sent, await channels.DispatchAsync(Message(Channel.Sms, "m-sms"), CancellationToken.None));
        Assert.Equal(DispatchResult.Sent, await channels.DispatchAsync(Message(Channel.Push, "m-push"), CancellationToken.None));

        Assert.Same(sms, channels.Find(Channel.Sms));
        Assert.Equal(["m-sms"], sms.Messages.Select(m => m.MessageId));
        Assert.Equal(["m-push"], push.Messages.Select(m => m.MessageId));
    }

    [Fact]
    public async Task A_channel_without_an_implementation_fails_the_message_at_once()
    {
        var channels = Registry(s => s.AddKeyedSingleton<IMessageChannel>(Channel.Sms, new RecordingChannel()));

        var result = await channels.DispatchAsync(Message(Channel.Email), CancellationToken.None);

        Assert.Null(channels.Find(Channel.Email));
        Assert.Equal(DispatchStatus.Failed, result.Status);
        Assert.Contains("email", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_registration_of_a_channel_wins_so_tests_can_replace_one()
    {
        var (first, second) = (new RecordingChannel(), new RecordingChannel());
        var channels = Registry(s => s.AddKeyedSingleton<IMessageChannel>(Channel.Inapp, first).AddKeyedSingleton<IMessageChannel>(Channel.Inapp, second));

        await channels.DispatchAsync(Message(Channel.Inapp), CancellationToken.None);

        Assert.Empty(first.Messages);
        Assert.Single(second.Messages);
    }

    [Fact]
    public async Task The_recording_channel_keeps_one_message_per_id_however_often_dispatched()
    {
        var recording = new RecordingChannel();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            recording.DispatchAsync(Message(Channel.Sms, i % 2 == 0 ? "m-even" : "m-odd"), CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(DispatchResult.Sent, r));
        Assert.Equal(20, recording.Dispatches);
        Assert.Equal(["m-even", "m-odd"], recording.Messages.Select(m => m.MessageId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Content_fields_that_are_absent_or_empty_read_as_null()
    {
        var content = new RenderedContent(new Dictionary<string, string> { ["title"] = "Hi", ["body"] = "" }.ToImmutableDictionary(), null);

        Assert.Equal("Hi", content.Field(ChannelFields.Title));
        Assert.Null(content.Field(ChannelFields.Body));
        Assert.Null(content.Field(ChannelFields.Image));
    }
}
