using Orleans.Concurrency;

namespace Waymark.GrainInterfaces.Delivery;

/// <summary>
/// Where delivery feedback comes in (api.md §5): a receiver's <c>POST /v1/messages/{id}/events</c> and the tracking links
/// a message carries (<c>/c</c>, <c>/o</c>, <c>/u</c>). A stateless worker, local to whichever silo takes the call: it
/// finds the message's customer and hands the feedback to it, which counts each type once per message. Nothing here is
/// a hot spot: feedback for different customers never meets in one grain.
/// </summary>
public interface IMessageFeedbackGrain : IGrainWithIntegerKey
{
    /// <summary>Feedback on a message of <paramref name="workspace"/>, found by its id.</summary>
    Task<FeedbackOutcome> Record(string workspace, string messageId, MessageFeedback feedback);

    /// <summary>A tracked link was followed: the click is recorded and the target returned; null when the token is no click token this deployment signed.</summary>
    Task<string?> Click(string token);

    /// <summary>An email's open pixel was loaded; false when the token is no open token this deployment signed.</summary>
    Task<bool> Open(string token);

    /// <summary>An unsubscribe link was used: the customer stops getting the message's channel's marketing; false when the token is no unsubscribe token this deployment signed.</summary>
    Task<bool> Unsubscribe(string token);
}

/// <summary>What a receiver or a customer told about a message (api.md §5 <c>type</c>).</summary>
[GenerateSerializer]
public enum MessageFeedback
{
    Delivered = 0,
    Opened = 1,
    Clicked = 2,

    /// <summary>The message could not be delivered after all: it counts as <c>failed</c>.</summary>
    Bounced = 3,

    /// <summary>The customer unsubscribed from the message's channel.</summary>
    Unsubscribed = 4,
}

/// <summary>What became of a feedback.</summary>
[GenerateSerializer]
public enum FeedbackOutcome
{
    /// <summary>The first of its type for the message: counted, and on the customer's timeline.</summary>
    Counted = 0,

    /// <summary>The message had this type of feedback already (each counts once); an unsubscribe still unsubscribes.</summary>
    Repeated = 1,

    /// <summary>No sent or failed message has that id in the workspace (not yet recorded, erased, or never).</summary>
    UnknownMessage = 2,
}
