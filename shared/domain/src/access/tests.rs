//! The permission matrix: every role × every class × every action, written
//! out as a table a reviewer can read, plus properties that must hold for
//! every combination of facts.

use super::*;
use proptest::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Owner,
    GroupMember,
    ImageGrantee,
    OtherImageGrantee,
    AlbumGrantee,
    LinkHolder,
    LinkHolderNoOriginal,
    Stranger,
    Anonymous,
    Operator,
}

const ROLES: [Role; 10] = [
    Role::Owner,
    Role::GroupMember,
    Role::ImageGrantee,
    Role::OtherImageGrantee,
    Role::AlbumGrantee,
    Role::LinkHolder,
    Role::LinkHolderNoOriginal,
    Role::Stranger,
    Role::Anonymous,
    Role::Operator,
];

fn facts(role: Role, class: Class, ready: bool) -> Facts {
    let mut f = Facts {
        principal: Principal::Customer,
        ready,
        owner_in_arrears: false,
        class,
        is_owner: false,
        same_group: false,
        image_grant: false,
        album_grant: false,
        link: None,
    };
    match role {
        Role::Owner => f.is_owner = true,
        Role::GroupMember => f.same_group = true,
        Role::ImageGrantee => f.image_grant = true,
        // A grant of another image is no fact about this one.
        Role::OtherImageGrantee | Role::Stranger => {}
        Role::AlbumGrantee => f.album_grant = true,
        Role::LinkHolder => {
            f.principal = Principal::Anonymous;
            f.link = Some(LinkTerms { allow_original: true });
        }
        Role::LinkHolderNoOriginal => {
            f.principal = Principal::Anonymous;
            f.link = Some(LinkTerms {
                allow_original: false,
            });
        }
        Role::Anonymous => f.principal = Principal::Anonymous,
        Role::Operator => f.principal = Principal::Operator,
    }
    f
}

/// (see, original, print) for a ready image, per role and class.
fn expected(role: Role, class: Class) -> (Option<Preview>, bool, Option<PrintTerms>) {
    use Class::*;
    use Preview::*;
    use PrintTerms::*;
    let market = (class == Printable).then_some(Market);
    match role {
        Role::Owner | Role::GroupMember => (Some(Clean), true, Some(Own)),
        Role::ImageGrantee | Role::AlbumGrantee | Role::LinkHolder => (Some(Clean), true, market),
        Role::LinkHolderNoOriginal => (Some(Clean), false, market),
        Role::Operator => (Some(Clean), true, None),
        Role::OtherImageGrantee | Role::Stranger | Role::Anonymous => match class {
            Private => (None, false, None),
            Viewable => (Some(Marked), false, None),
            Printable => (Some(Clean), false, Some(Market)),
        },
    }
}

#[test]
fn the_matrix() {
    let mut checked = 0;
    for role in ROLES {
        for class in Class::ALL {
            let got = decide(&facts(role, class, true));
            let (preview, original, print) = expected(role, class);
            assert_eq!(got.preview, preview, "{role:?} × {class:?}: preview");
            assert_eq!(got.original, original, "{role:?} × {class:?}: original");
            assert_eq!(got.print, print, "{role:?} × {class:?}: print");
            for action in Action::ALL {
                let want = match action {
                    Action::See => preview.is_some(),
                    Action::SeeOriginal => original,
                    Action::Print => print.is_some(),
                };
                assert_eq!(got.allows(action), want, "{role:?} × {class:?} × {action:?}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 10 * 3 * 3);
}

#[test]
fn unfinished_images_exist_only_for_their_owner() {
    for role in ROLES {
        for class in Class::ALL {
            let got = decide(&facts(role, class, false));
            if role == Role::Owner {
                assert!(got.can_see());
            } else {
                assert_eq!(got, Access::NONE, "{role:?} × {class:?}");
            }
        }
    }
}

fn any_facts() -> impl Strategy<Value = Facts> {
    (
        prop_oneof![
            Just(Principal::Anonymous),
            Just(Principal::Customer),
            Just(Principal::Operator)
        ],
        any::<bool>(),
        prop_oneof![
            Just(Class::Private),
            Just(Class::Viewable),
            Just(Class::Printable)
        ],
        any::<[bool; 4]>(),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(principal, ready, class, [o, g, ig, ag], link)| Facts {
            principal,
            ready,
            owner_in_arrears: false,
            class,
            is_owner: o,
            same_group: g,
            image_grant: ig,
            album_grant: ag,
            link: link.map(|allow_original| LinkTerms { allow_original }),
        })
}

fn rank(a: &Access) -> (u8, bool, u8) {
    let p = match a.preview {
        None => 0,
        Some(Preview::Marked) => 1,
        Some(Preview::Clean) => 2,
    };
    let pr = match a.print {
        None => 0,
        Some(PrintTerms::Market) => 1,
        Some(PrintTerms::Own) => 2,
    };
    (p, a.original, pr)
}

fn at_least(a: &Access, b: &Access) -> bool {
    let (x, y) = (rank(a), rank(b));
    x.0 >= y.0 && (x.1 || !y.1) && (x.2 >= y.2 || b.print.is_some() && a.print.is_some())
}

proptest! {
    /// An owner in arrears shows nobody else anything, whatever else holds;
    /// and it changes nothing for the owner.
    #[test]
    fn arrears_hide_everything_from_everyone_but_the_owner(f in any_facts()) {
        let locked = Facts { owner_in_arrears: true, ..f };
        if f.is_owner && f.principal == Principal::Customer {
            prop_assert_eq!(decide(&locked), decide(&f));
        } else {
            prop_assert_eq!(decide(&locked), Access::NONE);
        }
    }

    /// Whatever the facts, the decision is coherent.
    #[test]
    fn decisions_are_coherent(f in any_facts()) {
        let a = decide(&f);
        prop_assert!(!a.original || a.can_see(), "original implies seeing");
        prop_assert!(a.print.is_none() || a.can_see(), "print implies seeing");
        prop_assert_eq!(a.metadata, a.can_see());
        if a.preview == Some(Preview::Marked) {
            prop_assert!(!a.original && a.print.is_none(), "a marked preview is all a stranger gets");
        }
        if a.print == Some(PrintTerms::Market) {
            prop_assert_eq!(f.class, Class::Printable, "only printable images sell to others");
        }
        if a.print == Some(PrintTerms::Own) {
            prop_assert!(f.principal == Principal::Customer && (f.is_owner || f.same_group));
        }
        if f.principal != Principal::Operator && !f.is_owner && !f.same_group && !f.image_grant && !f.album_grant && f.link.is_none() {
            prop_assert!(!a.original, "strangers never get the original");
        }
    }

    /// Adding a relation never takes access away.
    #[test]
    fn more_relations_never_mean_less_access(f in any_facts(), which in 0usize..4) {
        let mut g = f;
        match which {
            0 => g.same_group = true,
            1 => g.image_grant = true,
            2 => g.album_grant = true,
            _ => g.link = Some(LinkTerms { allow_original: true }),
        }
        prop_assert!(at_least(&decide(&g), &decide(&f)), "{:?} -> {:?}", f, g);
    }

    /// Opening the class never takes access away.
    #[test]
    fn a_more_open_class_never_means_less_access(f in any_facts()) {
        for class in Class::ALL.into_iter().filter(|c| *c >= f.class) {
            let g = Facts { class, ..f };
            prop_assert!(at_least(&decide(&g), &decide(&f)));
        }
    }

    /// Grants and share links never change print terms, so quoting (which
    /// gathers only the group relation) decides exactly as `decide` would
    /// with every relation known.
    #[test]
    fn grants_and_links_never_change_what_may_be_printed(f in any_facts()) {
        let bare = Facts { image_grant: false, album_grant: false, link: None, ..f };
        prop_assert_eq!(decide(&f).print, decide(&bare).print, "{:?}", f);
    }
}

#[test]
fn an_owner_in_arrears_shows_nobody_else_anything_and_still_sees_their_own() {
    for role in ROLES {
        for class in Class::ALL {
            for link in [None, Some(LinkTerms { allow_original: true })] {
                let f = Facts {
                    owner_in_arrears: true,
                    link,
                    ..facts(role, class, true)
                };
                let a = decide(&f);
                if role == Role::Owner {
                    assert_eq!(a, decide(&facts(role, class, true)), "the owner keeps everything");
                } else {
                    assert_eq!(a, Access::NONE, "{role:?} {class:?} link {link:?}");
                }
            }
        }
    }
}
