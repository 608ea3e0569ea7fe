using FsCheck;
using FsCheck.Fluent;
using Gateway.Apig.Common;

namespace Gateway.Core.Tests.Apig;

public sealed class ListQueryProperties
{
    [Fact]
    public void Offset_and_limit_are_coerced_as_documented() =>
        Prop.ForAll<long, long>((offset, limit) =>
        {
            var query = ListQuery.Create(offset, limit);
            Assert.Equal(offset < 0 ? 0 : offset, query.Offset);
            Assert.Equal(limit <= 0 ? 20 : limit > 500 ? 500 : limit, query.Limit);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_page_is_the_slice_of_the_matching_items() =>
        Prop.ForAll<int[], NonNegativeInt, PositiveInt>((items, offset, limit) =>
        {
            var query = ListQuery.Create(offset.Get, limit.Get);
            var page = query.Apply(items);
            Assert.Equal(items.Length, page.Total);
            Assert.Equal(items.Skip((int)query.Offset).Take(query.Limit), page.Items);
            Assert.Equal(page.Items.Count, page.Size);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Missing_values_use_the_defaults()
    {
        var query = ListQuery.Create(null, null);
        Assert.Equal(0, query.Offset);
        Assert.Equal(20, query.Limit);
    }
}
