using System.Collections.Immutable;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Customers;

namespace Waymark.Gateway.Ingestion;

/// <summary>
/// What <see cref="SegmentParser.Parse"/> made of a request: every message, or every error and no message,
/// because a batch is accepted whole or not at all.
/// </summary>
/// <param name="WriteKey">The body's top-level <c>writeKey</c>, read even when the body has errors (authentication comes first).</param>
/// <param name="TooLarge">
/// Some message is over <see cref="SegmentParser.MaxMessageBytes"/>: the answer is 413, and <see cref="Errors"/> names that message.
/// </param>
public sealed record SegmentParseResult(
    ImmutableArray<CustomerEvent> Messages,
    string? WriteKey,
    ImmutableArray<FieldError> Errors,
    bool TooLarge);
