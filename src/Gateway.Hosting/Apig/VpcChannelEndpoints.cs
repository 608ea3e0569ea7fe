using Gateway.Apig.VpcChannels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting.Apig;

/// <summary>3.17 VPC channels: channels, members, member groups and the health check.</summary>
internal static class VpcChannelEndpoints
{
    private const string Channel = "/vpc-channels/{vpc_channel_id}";

    public static void Map(RouteGroupBuilder instance)
    {
        instance.MapPost("/vpc-channels", async (HttpContext context, VpcChannelManager manager) =>
        {
            var request = await ApigHttp.ReadBodyAsync(context, VpcChannelJsonContext.Default.VpcChannelRequest);
            var channel = await manager.CreateAsync(ApigHttp.Scope(context), request, context.RequestAborted);
            return ApigHttp.Json(channel, VpcChannelJsonContext.Default.VpcChannel, StatusCodes.Status201Created);
        });

        instance.MapPut(Channel, async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            var request = await ApigHttp.ReadBodyAsync(context, VpcChannelJsonContext.Default.VpcChannelRequest);
            var channel = await manager.UpdateAsync(scope, channelId, request, context.RequestAborted);
            return ApigHttp.Json(channel, VpcChannelJsonContext.Default.VpcChannel);
        });

        instance.MapDelete(Channel, async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            await manager.DeleteAsync(scope, channelId, context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapGet(Channel, async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            var channel = await manager.GetAsync(scope, channelId, context.RequestAborted);
            return ApigHttp.Json(channel, VpcChannelJsonContext.Default.VpcChannel);
        });

        instance.MapGet("/vpc-channels", async (HttpContext context, VpcChannelManager manager) =>
        {
            var filter = new VpcChannelListFilter
            {
                Page = ApigHttp.Page(context),
                Id = ApigHttp.Query(context, "id"),
                Name = ApigHttp.Query(context, "name"),
                DictCode = ApigHttp.Query(context, "dict_code"),
                PreciseSearch = ApigHttp.Query(context, "precise_search"),
                MemberHost = ApigHttp.Query(context, "member_host"),
                MemberPort = ApigHttp.QueryInt(context, "member_port"),
                MemberGroupName = ApigHttp.Query(context, "member_group_name"),
                MemberGroupId = ApigHttp.Query(context, "member_group_id"),
            };
            var list = await manager.ListAsync(ApigHttp.Scope(context), filter, context.RequestAborted);
            return ApigHttp.Json(list, VpcChannelJsonContext.Default.VpcChannelList);
        });

        instance.MapPost(Channel + "/members", async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            var request = await ApigHttp.ReadBodyAsync(context, VpcChannelJsonContext.Default.AddMembersRequest);
            var list = await manager.AddMembersAsync(scope, channelId, request, context.RequestAborted);
            return ApigHttp.Json(list, VpcChannelJsonContext.Default.VpcMemberList, StatusCodes.Status201Created);
        });

        instance.MapGet(Channel + "/members", async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            var filter = new VpcMemberListFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "name"),
                ApigHttp.Query(context, "member_group_name"),
                ApigHttp.Query(context, "member_group_id"),
                ApigHttp.Query(context, "precise_search"));
            var list = await manager.ListMembersAsync(scope, channelId, filter, context.RequestAborted);
            return ApigHttp.Json(list, VpcChannelJsonContext.Default.VpcMemberList);
        });

        instance.MapPut(Channel + "/members", async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            var request = await ApigHttp.ReadBodyAsync(context, VpcChannelJsonContext.Default.UpdateMembersRequest);
            var list = await manager.UpdateMembersAsync(scope, channelId, request, context.RequestAborted);
            return ApigHttp.Json(list, VpcChannelJsonContext.Default.VpcMemberList);
        });

        instance.MapDelete(Channel + "/members/{member_id}", async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            await manager.DeleteMemberAsync(scope, channelId, ApigHttp.RouteId(context, "member_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapPost(Channel + "/members/batch-enable", (HttpContext context, VpcChannelManager manager) => SetStatusAsync(context, manager, 1));

        instance.MapPost(Channel + "/members/batch-disable", (HttpContext context, VpcChannelManager manager) => SetStatusAsync(context, manager, 2));

        instance.MapPut(Channel + "/health-config", async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            var request = await ApigHttp.ReadBodyAsync(context, VpcChannelJsonContext.Default.HealthConfigInput);
            var health = await manager.UpdateHealthConfigAsync(scope, channelId, request, context.RequestAborted);
            return ApigHttp.Json(health, VpcChannelJsonContext.Default.VpcHealthConfig);
        });

        instance.MapPost(Channel + "/member-groups", async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            var request = await ApigHttp.ReadBodyAsync(context, VpcChannelJsonContext.Default.AddMemberGroupsRequest);
            var list = await manager.AddMemberGroupsAsync(scope, channelId, request, context.RequestAborted);
            return ApigHttp.Json(list, VpcChannelJsonContext.Default.VpcMemberGroupList, StatusCodes.Status201Created);
        });

        instance.MapGet(Channel + "/member-groups", async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            var filter = new VpcMemberGroupListFilter(
                ApigHttp.Page(context),
                ApigHttp.Query(context, "dict_code"),
                ApigHttp.Query(context, "member_group_name"),
                ApigHttp.Query(context, "precise_search"));
            var list = await manager.ListMemberGroupsAsync(scope, channelId, filter, context.RequestAborted);
            return ApigHttp.Json(list, VpcChannelJsonContext.Default.VpcMemberGroupList);
        });

        instance.MapGet(Channel + "/member-groups/{member_group_id}", async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            var group = await manager.GetMemberGroupAsync(scope, channelId, ApigHttp.RouteId(context, "member_group_id"), context.RequestAborted);
            return ApigHttp.Json(group, VpcChannelJsonContext.Default.VpcMemberGroup);
        });

        instance.MapDelete(Channel + "/member-groups/{member_group_id}", async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            await manager.DeleteMemberGroupAsync(scope, channelId, ApigHttp.RouteId(context, "member_group_id"), context.RequestAborted);
            return Results.NoContent();
        });

        instance.MapPut(Channel + "/member-groups/{member_group_id}", async (HttpContext context, VpcChannelManager manager) =>
        {
            var (scope, channelId) = ChannelRoute(context);
            var groupId = ApigHttp.RouteId(context, "member_group_id");
            var request = await ApigHttp.ReadBodyAsync(context, VpcChannelJsonContext.Default.MemberGroupInput);
            var group = await manager.UpdateMemberGroupAsync(scope, channelId, groupId, request, context.RequestAborted);
            return ApigHttp.Json(group, VpcChannelJsonContext.Default.VpcMemberGroup);
        });
    }

    private static (Gateway.Apig.Common.ApigScope Scope, string ChannelId) ChannelRoute(HttpContext context) =>
        (ApigHttp.Scope(context), ApigHttp.RouteId(context, "vpc_channel_id"));

    private static async Task<IResult> SetStatusAsync(HttpContext context, VpcChannelManager manager, int status)
    {
        var (scope, channelId) = ChannelRoute(context);
        var request = await ApigHttp.ReadBodyAsync(context, VpcChannelJsonContext.Default.MemberIdsRequest);
        await manager.SetMemberStatusAsync(scope, channelId, request, status, context.RequestAborted);
        return Results.NoContent();
    }
}
