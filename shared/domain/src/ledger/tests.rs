use super::*;
use crate::money::Yen;
use proptest::prelude::*;

#[test]
fn accounts_print_and_parse_back() {
    let o = OrderId::generate();
    let c = CustomerId::generate();
    for a in [
        Account::Customer(c),
        Account::operator(OperatorAccount::Commission, &o),
        Account::operator(OperatorAccount::Rewards, &o),
    ] {
        assert_eq!(Account::parse(&a.to_string()), Some(a));
    }
    assert_eq!(Account::parse("operator:commission:99"), None);
    assert_eq!(Account::parse("operator:bank:1"), None);
}

#[test]
fn an_unbalanced_journal_is_refused() {
    let c = CustomerId::generate();
    let p = Posting {
        account: Account::Customer(c),
        points: 5,
    };
    assert!(Journal::new("x".into(), "x".into(), vec![p]).is_err());
}

proptest! {
    #[test]
    fn every_journal_of_an_order_sums_to_zero_with_one_posting_per_account(
        redeemed in 0i64..10_000,
        points in 0i64..10_000,
        share in 0i64..10_000,
        commission in 0i64..10_000,
        own in any::<bool>(),
        guest in any::<bool>(),
    ) {
        let order = OrderId::generate();
        let buyer = CustomerId::generate();
        let owner = if own { buyer.clone() } else { CustomerId::generate() };
        let price = LinePrice { amount: Yen(share + commission + 20), points, owner_share: Yen(share), commission: Yen(commission) };
        let journals = [
            redemption(&order, &buyer, redeemed).unwrap(),
            redemption_reversal(&order, &buyer, redeemed, "cancel").unwrap(),
            line_settlement(&order, 1, (!guest).then_some(&buyer), &owner, &price).unwrap(),
        ];
        for j in journals {
            prop_assert_eq!(j.postings.iter().map(|p| p.points).sum::<i64>(), 0);
            let mut accounts: Vec<_> = j.postings.iter().map(|p| p.account.clone()).collect();
            accounts.dedup();
            prop_assert_eq!(accounts.len(), j.postings.len());
            prop_assert!(j.postings.iter().all(|p| p.points != 0));
        }
    }
}
