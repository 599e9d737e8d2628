//! Preparing a full export (X3) from the stores, against moto: Ann's
//! manifest has every section filled from what she made through the api
//! (and nothing of Bob's, nothing in her trash, no link's token), it
//! validates against `docs/export.schema.json` with Python's
//! `jsonschema`, and each part's entries carry the SHA-256 and size
//! recorded when each original was stored. A tiny part size puts each
//! image in a part of its own.

mod schema;
mod setup;

use integration_tests::image_id;
use printvault_domain::billing::Month;
use printvault_domain::export::manifest::{ManifestLine, ManifestTarget, FORMAT};
use printvault_domain::ids::OrderId;
use printvault_domain::when::Timestamp;
use printvault_usecases::export::prepare::prepare;
use std::collections::HashSet;

#[tokio::test]
async fn an_export_holds_every_section_of_its_owners_account_and_nothing_else() {
    let acc = setup::accounts_with(|_| {}).await;
    let st = &acc.env.stack.api_state.stores;
    let owner = acc.ann.customer_id();
    let made = Timestamp::at(time::OffsetDateTime::now_utc());
    let p = prepare(st, &owner, "exp_test", made, 4 << 30).await.unwrap();
    let m = &p.manifest;
    assert_eq!(
        (
            m.format.as_str(),
            m.export_id.as_str(),
            &m.customer_id,
            m.email.as_str()
        ),
        (FORMAT, "exp_test", &owner, acc.ann.email.as_str())
    );
    assert_eq!((m.made_at, m.part, m.parts, p.parts.len()), (made, 0, 1, 1));

    // Her three ready photos, oldest first: not the trashed one, nor the
    // upload that never came.
    let ids: Vec<&str> = m.images.iter().map(|i| i.image_id.as_str()).collect();
    assert_eq!(ids, acc.photos.iter().map(String::as_str).collect::<Vec<_>>());
    let entries = &p.parts[0];
    assert_eq!(entries.len(), 3);
    for (i, e) in m.images.iter().zip(entries) {
        let record = acc.env.record(&owner, &i.image_id).await.unwrap();
        let f = record.finalised.as_ref().unwrap();
        assert_eq!(
            (&e.image_id, &e.path, &e.sidecar),
            (&i.image_id, &i.path, &i.sidecar)
        );
        assert_eq!(
            (e.bytes, e.sha256.as_str()),
            (f.bytes, f.sha256.as_str()),
            "as recorded"
        );
        assert_eq!(
            (i.bytes, i.sha256.as_str(), i.format.as_str()),
            (f.bytes, f.sha256.as_str(), "jpeg")
        );
        assert_eq!(
            (i.stored_at, &i.attributes, i.part),
            (record.created_at, &record.attributes, 1)
        );
        assert!(
            e.xmp.contains(&format!("printvault:ImageId=\"{}\"", i.image_id)),
            "{}",
            e.xmp
        );
        let month = record.created_at.time();
        let folder = format!("{}/{:02}/", month.year(), u8::from(month.month()));
        if i.image_id.as_str() != acc.photos[0] {
            assert!(i.path.starts_with(&folder), "stored {folder}: {}", i.path);
            assert_eq!((i.class.as_str(), i.prices), ("private", None));
        }
    }
    let first = &m.images[0];
    assert_eq!(first.path, "2024/05/photo.jpg", "by the month taken");
    assert_eq!(first.sidecar, "2024/05/photo.xmp");
    assert_eq!(
        (first.class.as_str(), first.prices.map(|p| (p.l.0, p.two_l.0))),
        ("printable", Some((150, 400)))
    );
    assert_eq!(first.attributes.keywords, ["sakura", "temple"]);
    // Two "photo"s stored in one month are told apart.
    let (second, third) = (&m.images[1].path, &m.images[2].path);
    if second.get(..8) == third.get(..8) {
        assert_eq!(third.rsplit('/').next(), Some("photo_2.jpg"), "{:?}", m.images);
    }
    for want in [
        "exif:GPSLatitude=\"35,0.69",
        "sakura",
        "Places/Kyoto",
        "printvault:PriceL=\"150\"",
    ] {
        assert!(entries[0].xmp.contains(want), "{want}: {}", entries[0].xmp);
    }

    // Her album holds the photos in the export, in album order; every
    // album (automatic ones too) only those.
    let exported: HashSet<_> = m.images.iter().map(|i| &i.image_id).collect();
    let album = m
        .albums
        .iter()
        .find(|a| a.album_id.as_str() == acc.album)
        .expect("her album");
    assert_eq!((album.name.as_str(), album.kind.as_str()), ("Kyoto", "manual"));
    assert_eq!(album.images, [image_id(&acc.photos[0]), image_id(&acc.photos[1])]);
    for a in &m.albums {
        assert!(a.images.iter().all(|i| exported.contains(i)), "{a:?}");
        assert!(["manual", "automatic"].contains(&a.kind.as_str()), "{a:?}");
    }

    // The grant she gave (not Bob's to her), her link, her group.
    assert_eq!(m.grants.len(), 1, "{:?}", m.grants);
    assert_eq!(
        (&m.grants[0].target, m.grants[0].grantee_email.as_str()),
        (
            &ManifestTarget {
                image_id: Some(image_id(&acc.photos[0])),
                album_id: None
            },
            acc.carol.email.as_str()
        )
    );
    assert_eq!(m.links.len(), 1, "{:?}", m.links);
    let link = &m.links[0];
    assert_eq!(
        (
            link.link_id.as_str(),
            link.target.album_id.as_ref().map(|a| a.as_str())
        ),
        (acc.link_id.as_str(), Some(acc.album.as_str()))
    );
    assert!(link.expires_at > link.created_at && !link.allow_original);
    assert_eq!(m.groups.len(), 1, "{:?}", m.groups);
    let group = &m.groups[0];
    assert_eq!(
        (group.group_id.as_str(), group.name.as_str(), group.owner),
        (acc.group.as_str(), "Family", true)
    );
    let mut members = group.members.clone();
    members.sort();
    let mut want = vec![acc.ann.email.clone(), acc.carol.email.clone()];
    want.sort();
    assert_eq!(members, want);

    // Her order (not Bob's of her photo), as stored, with its line.
    assert_eq!(m.orders.len(), 1, "{:?}", m.orders);
    let o = &m.orders[0];
    let stored = st
        .orders
        .get(&OrderId::parse(&acc.order).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.order_id, acc.order);
    assert_eq!(
        (o.total, o.amount_due, o.points_redeemed, o.refund_due),
        (stored.total.0, stored.amount_due.0, 0, 0)
    );
    assert_eq!(
        (o.location.as_str(), o.medium.as_str(), o.created_at),
        ("tokyo-shibuya", "photo_paper", stored.created_at)
    );
    assert_ne!(o.status, "placed", "paid");
    let line = &stored.lines[0];
    assert_eq!(
        o.lines,
        [ManifestLine {
            line: 1,
            image_id: image_id(&acc.photos[0]),
            size: "L".into(),
            copies: 2,
            amount: line.amount.0,
            points: line.points
        }]
    );

    // Her points, all of them (they sum to her balance), and her invoice.
    assert!(
        m.points.iter().any(|e| e.amount == 5 && e.what == "test points"),
        "{:?}",
        m.points
    );
    assert!(m.points.iter().all(|e| e.amount != 7), "Bob's");
    let sum: i64 = m.points.iter().map(|e| e.amount).sum();
    assert_eq!(sum, st.ledger.balance(&owner).await.unwrap());
    assert_eq!(m.invoices.len(), 1, "{:?}", m.invoices);
    let this_month = Month::of(made.unix()).to_string();
    assert_eq!(
        (m.invoices[0].month.as_str(), m.invoices[0].status.as_str()),
        (this_month.as_str(), "open")
    );
    assert!(m.invoices[0].invoice_id.ends_with(acc.ann.id.as_str()));

    // Nothing of Bob's, of her trash, or of a link's secret, anywhere.
    let json = serde_json::to_string(m).unwrap();
    let digest = st.sharing.links_of(&owner).await.unwrap()[0].digest.clone();
    for absent in acc
        .bobs
        .iter()
        .chain([&acc.trashed, &acc.pending, &acc.link_token, &digest])
    {
        assert!(!json.contains(absent.as_str()), "{absent} is in {json}");
    }
    assert!(acc.bob.id != acc.ann.id);

    // The manifest as a part writes it validates against the schema.
    let mut as_written = m.clone();
    as_written.part = 1;
    assert_eq!(
        schema::errors(&serde_json::to_value(&as_written).unwrap()),
        Vec::<String>::new()
    );

    // A tiny part size: a part for each image, planned the same way again.
    let tiny = prepare(st, &owner, "exp_tiny", made, 1).await.unwrap();
    assert_eq!((tiny.manifest.parts, tiny.parts.len()), (3, 3));
    for (n, (i, part)) in tiny.manifest.images.iter().zip(&tiny.parts).enumerate() {
        assert_eq!(i.part, n as u32 + 1);
        assert_eq!(
            part.iter().map(|e| &e.image_id).collect::<Vec<_>>(),
            [&i.image_id]
        );
        assert_eq!(i.path, m.images[n].path, "the same paths");
    }
}

#[tokio::test]
async fn an_account_with_nothing_but_a_group_exports_one_part_of_no_entries() {
    let acc = setup::accounts_with(|_| {}).await;
    let st = &acc.env.stack.api_state.stores;
    let carol = acc.carol.customer_id();
    let made = Timestamp::at(time::OffsetDateTime::now_utc());
    let p = prepare(st, &carol, "exp_carol", made, 4 << 30).await.unwrap();
    let m = &p.manifest;
    assert_eq!((m.parts, p.parts.len(), p.parts[0].len()), (1, 1, 0));
    assert!(m.images.is_empty() && m.albums.is_empty() && m.orders.is_empty() && m.links.is_empty());
    assert!(m.grants.is_empty(), "a grant she holds is not one she gave");
    assert_eq!(m.groups.len(), 1);
    assert_eq!(
        (m.groups[0].group_id.as_str(), m.groups[0].owner),
        (acc.group.as_str(), false)
    );
    let mut as_written = m.clone();
    as_written.part = 1;
    assert_eq!(
        schema::errors(&serde_json::to_value(&as_written).unwrap()),
        Vec::<String>::new()
    );
}
