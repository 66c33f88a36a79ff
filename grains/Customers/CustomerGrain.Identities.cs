using Waymark.GrainInterfaces.Customers;
using Waymark.Model.Customers;
using Waymark.Storage.CustomerLog;

namespace Waymark.Grains.Customers;

/// <summary>OneID: linking ids, registering identity traits, merging profiles (api.md §2).</summary>
public sealed partial class CustomerGrain
{
    /// <summary>
    /// An event naming a user id together with an anonymous id (or an alias naming a previous id) merges
    /// the anonymous profile into this known one, and points that id here for good.
    /// </summary>
    private async Task LinkIdentities(IEnumerable<CustomerEvent> events, Round round)
    {
        if (!CustomerKeys.IsUser(key))
        {
            return;
        }

        foreach (var e in events)
        {
            if (e.AnonymousId is { } anonymousId && !Profile.AnonymousIds.Contains(anonymousId))
            {
                await Pull(CustomerKeys.Anonymous(anonymousId), force: false, "anonymousId", anonymousId, round);
            }

            if (e.Kind == EventKind.Alias && e.PreviousId is { } previousId && !IsThisCustomer(CustomerKeys.User(previousId))
                && !IsThisCustomer(CustomerKeys.Anonymous(previousId)))
            {
                // A previous id that is a known user is a second user id: recorded as a conflict, never merged.
                var previousUser = CustomerKeys.User(previousId);
                var victim = await Customer(previousUser).Describe() is not null ? previousUser : CustomerKeys.Anonymous(previousId);
                if (!Profile.AnonymousIds.Contains(previousId))
                {
                    await Pull(victim, force: false, "previousId", previousId, round);
                }
            }
        }
    }

    /// <summary>Asks <paramref name="victimKey"/> to merge into this customer and adds what it hands over to the round.</summary>
    private async Task Pull(string victimKey, bool force, string trait, string value, Round round)
    {
        for (var hop = 0; hop < MaxForwardHops && victimKey != key; hop++)
        {
            if (Profile.MergedFrom.Contains(victimKey) || round.Entries.Any(e => e.MergedKey == victimKey))
            {
                return;
            }

            var handover = await Customer(victimKey).HandOver(key, force);
            switch (handover.Status)
            {
                case HandoverStatus.HandedOver:
                    await TakeOver(round, victimKey, handover.ProfileJson!, handover.JourneysJson!);
                    return;
                case HandoverStatus.MergedElsewhere when handover.SurvivorKey == key:
                    return;
                case HandoverStatus.MergedElsewhere:
                    victimKey = handover.SurvivorKey!;
                    continue;
                default:
                    round.Entries.Add(Conflict(trait, value, victimKey));
                    await Customer(victimKey).RecordConflict(trait, value, key);
                    return;
            }
        }
    }

    /// <summary>
    /// Registers identity trait values (email, phone) with their index grains. A value another customer
    /// holds merges the two when at most one has a user id — into that one, else into the older — and
    /// is recorded as a conflict on both when both have one (api.md §2).
    /// </summary>
    private async Task ClaimIdentities()
    {
        foreach (var (trait, values) in Profile.Identities.Where(i => identityTraits.Contains(i.Key)).ToList())
        {
            foreach (var value in values.ToList())
            {
                var claim = trait + ":" + value;
                if (State.MergedInto is not null || State.ClaimedIdentities.Contains(claim))
                {
                    continue;
                }

                var index = GrainFactory.GetGrain<IIdentityGrain>(CustomerKeys.Identity(workspace, trait, value));
                var holder = await index.Claim(key);
                if (holder != key)
                {
                    await Reconcile(trait, value, index, holder);
                }

                State.ClaimedIdentities.Add(claim);
            }
        }
    }

    private async Task Reconcile(string trait, string value, IIdentityGrain index, string holderKey)
    {
        if (IsThisCustomer(holderKey))
        {
            await index.Assign(key); // the holder was merged into this customer
            return;
        }

        var other = await Customer(holderKey).Describe();
        if (other is null)
        {
            await index.Assign(key); // the holder was erased
            return;
        }

        if (other.Key == key)
        {
            return;
        }

        if (Profile.UserId is not null && other.UserId is not null)
        {
            await Commit([Conflict(trait, value, other.Key)]);
            await Customer(other.Key).RecordConflict(trait, value, key);
            return;
        }

        var thisSurvives = Profile.UserId is not null
            || (other.UserId is null && (Profile.FirstSeen ?? DateTimeOffset.MaxValue, key).CompareTo((other.FirstSeen ?? DateTimeOffset.MaxValue, other.Key)) < 0);
        if (thisSurvives)
        {
            var round = new Round(Now());
            await Pull(other.Key, force: false, trait, value, round);
            await Finish(round);
            await index.Assign(key);
            return;
        }

        await Commit([new PendingEntry(LogKinds.MergedInto, null, clock.GetUtcNow(), LogKinds.Serialize(new MergedIntoRecord(other.Key)))]);
        await Forward(other.Key);
    }

    /// <summary>Adds a merged profile and its journeys to the round: the merge, and what it does to runs, commit together.</summary>
    private async Task TakeOver(Round round, string fromKey, string profileJson, string journeysJson)
    {
        var journeys = LogKinds.Deserialize<CustomerJourneys>(journeysJson);
        var record = new MergedFromRecord(fromKey, LogKinds.Deserialize<CustomerProfile>(profileJson), journeys);
        round.Entries.Add(new PendingEntry(LogKinds.MergedFrom, null, round.Now.ToDateTimeOffset(), LogKinds.Serialize(record), fromKey));
        await AdoptJourneys(round, journeys);
    }

    /// <summary>Whether <paramref name="customerKey"/> is this customer or was merged into it: asking it anything would come back here.</summary>
    private bool IsThisCustomer(string customerKey) => customerKey == key || Profile.MergedFrom.Contains(customerKey);

    /// <summary>The survivor this pointer forwards to, first making sure it absorbed this profile (idempotent).</summary>
    private async Task<ICustomerGrain> Forward(string survivorKey)
    {
        var survivor = Customer(survivorKey);
        if (!survivorHasProfile)
        {
            await survivor.Absorb(key, LogKinds.Serialize(Profile), LogKinds.Serialize(Journeys));
            survivorHasProfile = true;
        }

        return survivor;
    }
}
