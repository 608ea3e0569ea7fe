using System.Text.RegularExpressions;
using Gateway.Apig.Common;
using Gateway.Apig.Environments;
using Gateway.Apig.Groups;
using Gateway.Errors;

namespace Gateway.Apig.Instances;

/// <summary>
/// 3.23 instances. An instance here is a logical gateway: creation completes at once (status <c>Running</c>) and brings
/// its DEFAULT group and RELEASE environment with it.
/// </summary>
internal sealed partial class InstanceManager(ResourceWriter writer, TimeProvider time, ApigOptions options)
{
    private static readonly string[] Specs = ["BASIC", "PROFESSIONAL", "ENTERPRISE", "PLATINUM"];
    private static readonly string[] ChargingModes = ["bandwidth", "traffic"];
    private static readonly string[] LoadBalancerProviders = ["lvs", "elb"];
    private static readonly int[] MaintainStartHours = [2, 6, 10, 14, 18, 22];

    public async Task<CreateInstanceResponse> CreateAsync(string projectId, CreateInstanceRequest request, CancellationToken cancellationToken)
    {
        var name = Text(request.InstanceName, "instance_name", 3, 64, ApigPatterns.InstanceName());
        var spec = request.SpecId ?? throw ApicErrors.Invalid("spec_id");
        if (Array.IndexOf(Specs, spec) < 0)
        {
            throw ApicErrors.SpecNotFound();
        }

        var vpcId = Text(request.VpcId, "vpc_id", 1, 64, null);
        var subnetId = Text(request.SubnetId, "subnet_id", 1, 64, null);
        var securityGroupId = Text(request.SecurityGroupId, "security_group_id", 1, 64, null);
        if (request.AvailableZoneIds is not { Count: > 0 } zones)
        {
            throw ApicErrors.AzRequired();
        }

        foreach (var zone in zones)
        {
            Text(zone, "available_zone_ids", 1, 64, null);
        }

        if (request.Description is { } description && (description.Length > 255 || description.AsSpan().IndexOfAny('<', '>') >= 0))
        {
            throw ApicErrors.Invalid("description");
        }

        var (maintainBegin, maintainEnd) = MaintainWindow(request.MaintainBegin, request.MaintainEnd);
        if (request.InstanceId is { } requestedId && !ApigPatterns.ResourceId().IsMatch(requestedId))
        {
            throw ApicErrors.Invalid("instance_id");
        }

        var bandwidthChargingMode = OptionalEnum(request.BandwidthChargingMode, "bandwidth_charging_mode", ChargingModes) ?? "bandwidth";
        var ingressChargingMode = OptionalEnum(request.IngressBandwidthChargingMode, "ingress_bandwidth_charging_mode", ChargingModes);
        var provider = OptionalEnum(request.LoadbalancerProvider, "loadbalancer_provider", LoadBalancerProviders) ?? "lvs";
        if (request.BandwidthSize is < 0 or > 2000)
        {
            throw ApicErrors.Invalid("bandwidth_size");
        }

        if (request.VpcepServiceName is { } vpcep && (vpcep.Length > 16 || !VpcepServiceName().IsMatch(vpcep)))
        {
            throw ApicErrors.Invalid("vpcep_service_name");
        }

        ValidateTags(request.Tags);

        var instanceId = request.InstanceId ?? ApigClock.NewId();
        return await writer.MutateAsync(ApigKeys.ProjectFence(projectId), async transaction =>
        {
            var existing = await writer.ListAsync(ApigKeys.Instances(projectId), InstanceJsonContext.Default.Instance, cancellationToken).ConfigureAwait(false);
            foreach (var other in existing)
            {
                if (string.Equals(other.InstanceName, name, StringComparison.Ordinal))
                {
                    throw ApicErrors.NameExists();
                }
            }

            // Instance IDs are global: the index entry must not exist, checked at commit time.
            if (await writer.Store.GetAsync(ApigKeys.InstanceIdIndex(instanceId), cancellationToken).ConfigureAwait(false) is not null)
            {
                throw ApicErrors.IdExists();
            }

            var now = time.GetUtcNow();
            var instance = new Instance
            {
                Id = instanceId,
                ProjectId = projectId,
                InstanceName = name,
                Spec = spec,
                CreateTime = now.ToUnixTimeMilliseconds(),
                EnterpriseProjectId = request.EnterpriseProjectId ?? "0",
                LoadbalancerProvider = provider,
                Description = request.Description,
                VpcId = vpcId,
                SubnetId = subnetId,
                SecurityGroupId = securityGroupId,
                MaintainBegin = maintainBegin,
                MaintainEnd = maintainEnd,
                IngressIp = options.IngressAddress,
                UserId = projectId,
                BandwidthSize = request.BandwidthSize ?? 5,
                BandwidthChargingMode = bandwidthChargingMode,
                AvailableZoneIds = "[" + string.Join(", ", zones) + "]",
                InstanceVersion = options.InstanceVersion,
                SupportedFeatures = ["gateway_responses", "ratelimit", "request_body_size", "backend_timeout", "app_token", "app_api_key", "app_basic", "app_secret", "app_jwt", "public_key", "backend_token_allow", "sign_basic", "sign_aes", "route", "cors"],
                EndpointServices = [new EndpointService($"local.apig.{instanceId}", now.ToUnixTimeMilliseconds())],
                IngressBandwidthChargingMode = ingressChargingMode,
                Tags = request.Tags,
            };

            transaction.RequireAbsent(ApigKeys.InstanceIdIndex(instanceId));
            transaction.Put(ApigKeys.Instance(projectId, instanceId), ResourceWriter.Serialize(instance, InstanceJsonContext.Default.Instance));
            transaction.Put(ApigKeys.InstanceIdIndex(instanceId), System.Text.Encoding.UTF8.GetBytes(projectId));

            var timestamp = ApigClock.Timestamp(time);
            var defaultGroup = ApiGroupManager.NewGroup(options, ApigClock.NewId(), "DEFAULT", "the default group of the instance", isDefault: true, timestamp);
            transaction.Put(ApigKeys.Group(instanceId, defaultGroup.Id), ResourceWriter.Serialize(defaultGroup, GroupJsonContext.Default.ApiGroup));
            var release = EnvironmentManager.NewReleaseEnvironment(timestamp);
            transaction.Put(ApigKeys.Environment(instanceId, release.Id), ResourceWriter.Serialize(release, EnvironmentJsonContext.Default.ApigEnvironment));
            return new CreateInstanceResponse(instanceId, "success", ApigClock.NewId());
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Instance> GetAsync(string projectId, string instanceId, CancellationToken cancellationToken) =>
        await writer.ReadAsync(ApigKeys.Instance(projectId, instanceId), InstanceJsonContext.Default.Instance, cancellationToken).ConfigureAwait(false)
        ?? throw ApicErrors.InstanceNotFound(instanceId);

    public async Task<InstanceList> ListAsync(string projectId, InstanceListFilter filter, CancellationToken cancellationToken)
    {
        var all = await writer.ListAsync(ApigKeys.Instances(projectId), InstanceJsonContext.Default.Instance, cancellationToken).ConfigureAwait(false);
        all.Sort(static (a, b) => a.CreateTime.CompareTo(b.CreateTime));
        var matching = new List<InstanceSummary>();
        foreach (var instance in all)
        {
            if ((filter.InstanceId is null || instance.Id == filter.InstanceId) &&
                NameFilter.Matches(instance.InstanceName, filter.InstanceName, precise: false) &&
                (filter.Status is null || instance.Status == filter.Status))
            {
                matching.Add(InstanceSummary.From(instance));
            }
        }

        var page = filter.Page.Apply(matching);
        return new InstanceList(page.Size, page.Total, page.Items);
    }

    public async Task DeleteAsync(string projectId, string instanceId, CancellationToken cancellationToken)
    {
        await writer.MutateAsync(ApigKeys.ProjectFence(projectId), async transaction =>
        {
            var key = ApigKeys.Instance(projectId, instanceId);
            var entry = await writer.Store.GetAsync(key, cancellationToken).ConfigureAwait(false) ?? throw ApicErrors.InstanceNotFound(instanceId);
            transaction.RequireModRevision(key, entry.ModRevision);
            transaction.Delete(key);
            transaction.Delete(ApigKeys.InstanceIdIndex(instanceId));
            transaction.DeletePrefix(ApigKeys.InstancePrefix(instanceId));
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resolves a scope to its instance or fails with the APIG 404 used by instance-scoped families.</summary>
    public static async Task<Instance> RequireAsync(ResourceWriter writer, ApigScope scope, CancellationToken cancellationToken) =>
        await writer.ReadAsync(ApigKeys.Instance(scope.ProjectId, scope.InstanceId), InstanceJsonContext.Default.Instance, cancellationToken).ConfigureAwait(false)
        ?? throw ApigErrors.InstanceNotFound(scope.InstanceId);

    private static (string Begin, string End) MaintainWindow(string? begin, string? end)
    {
        if (begin is null && end is null)
        {
            return ("22:00:00", "02:00:00");
        }

        var beginHour = begin is null ? -1 : ParseHour(begin, "maintain_begin");
        var endHour = end is null ? -1 : ParseHour(end, "maintain_end");
        if (beginHour < 0)
        {
            beginHour = (endHour + 20) % 24;
        }

        if (endHour < 0)
        {
            endHour = (beginHour + 4) % 24;
        }

        if (Array.IndexOf(MaintainStartHours, beginHour) < 0 || Array.IndexOf(MaintainStartHours, endHour) < 0)
        {
            throw ApicErrors.MaintainWindowStart();
        }

        if ((beginHour + 4) % 24 != endHour)
        {
            throw ApicErrors.MaintainWindowLength();
        }

        return ($"{beginHour:00}:00:00", $"{endHour:00}:00:00");
    }

    private static int ParseHour(string value, string parameter)
    {
        var match = MaintainTime().Match(value);
        if (!match.Success)
        {
            throw ApicErrors.Invalid(parameter);
        }

        var hour = int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
        return hour < 24 ? hour : throw ApicErrors.Invalid(parameter);
    }

    private static void ValidateTags(List<InstanceTag>? tags)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > 20)
        {
            throw ApicErrors.Invalid("tags");
        }

        foreach (var tag in tags)
        {
            if (tag.Key is { } key && (key.Length is < 1 or > 128 || !TagText().IsMatch(key) || key.StartsWith("_sys_", StringComparison.Ordinal)))
            {
                throw ApicErrors.Invalid("tags.key");
            }

            if (tag.Value is { } value && (value.Length > 255 || (value.Length > 0 && !TagValue().IsMatch(value))))
            {
                throw ApicErrors.Invalid("tags.value");
            }
        }
    }

    private static string Text(string? value, string parameter, int min, int max, Regex? pattern)
    {
        if (string.IsNullOrEmpty(value) || value.Length < min || value.Length > max || (pattern is not null && !pattern.IsMatch(value)))
        {
            throw ApicErrors.Invalid(parameter);
        }

        return value;
    }

    private static string? OptionalEnum(string? value, string parameter, string[] allowed) =>
        value is null ? null : Array.IndexOf(allowed, value) >= 0 ? value : throw ApicErrors.Invalid(parameter);

    [GeneratedRegex(@"^(\d{2}):00:00\z")]
    private static partial Regex MaintainTime();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+\z")]
    private static partial Regex VpcepServiceName();

    [GeneratedRegex(@"^[\p{L}\p{Nd} _.:=+\-@]+\z")]
    private static partial Regex TagText();

    [GeneratedRegex(@"^[\p{L}\p{Nd} _.:=+\-@/]+\z")]
    private static partial Regex TagValue();
}

/// <summary>3.23.14 query filters.</summary>
internal sealed record InstanceListFilter(ListQuery Page, string? InstanceId, string? InstanceName, string? Status);
