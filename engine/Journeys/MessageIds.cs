using System.Globalization;

namespace Waymark.Engine.Journeys;

/// <summary>
/// Message ids derived from the run and the send node (canvas.md "Delivery"), so a retry or a replay after a
/// crash carries the same id and receivers can drop repeats.
/// </summary>
public static class MessageIds
{
    /// <summary>The id of the message a run sends at <paramref name="node"/>: <see cref="StableHash.IdLength"/> URL-safe characters.</summary>
    public static string For(string journeyId, string entryId, string node) => StableHash.Id("message", journeyId, entryId, node);

    /// <summary>
    /// The id of the message of the <paramref name="pass"/>th time (from 0) a run sends at <paramref name="node"/>;
    /// pass 0 is <see cref="For(string, string, string)"/>, and each later pass of a loop has an id of its own.
    /// </summary>
    public static string For(string journeyId, string entryId, string node, int pass) =>
        pass == 0 ? For(journeyId, entryId, node) : StableHash.Id("message", journeyId, entryId, node, pass.ToString(CultureInfo.InvariantCulture));
}
