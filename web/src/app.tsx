// The page's frame: a skip link, the navigation, the arrears banner, and
// the route's page.
import { useEffect, useState } from "preact/hooks";
import { onSession, session, type Session } from "./session";
import { after, go, useRoute } from "./router";
import { useArrears } from "./arrears";
import { Login, Register, Verify } from "./pages/auth";
import { Gallery } from "./pages/gallery";
import { ImagePage } from "./pages/image";
import { Account } from "./pages/account";
import { AlbumPage, Albums } from "./pages/albums";
import { Search } from "./pages/search";
import { SharedLink, SharedWithMe } from "./pages/shared";
import { OrderPage } from "./pages/order";
import { OrderDetail, Orders, Points } from "./pages/orders";
import { Invoices } from "./pages/invoices";
import { Trash } from "./pages/trash";
import { ExportPage } from "./pages/export";
import { Archive, ArchiveProposal } from "./pages/archive";
import { ProfilePage } from "./pages/profile";
import { Groups } from "./pages/groups";
import { GuestOrder } from "./pages/guest";
import { signOut } from "./pages/signout";

function useSession(): Session | null {
  const [s, setS] = useState(session());
  useEffect(() => onSession(setS), []);
  return s;
}

const LINKS: Array<[string, string]> = [
  ["#/", "Photos"],
  ["#/albums", "Albums"],
  ["#/search", "Search"],
  ["#/shared", "Shared with me"],
  ["#/orders", "Orders"],
  ["#/points", "Points"],
  ["#/invoices", "Invoices"],
  ["#/archive", "Archive"],
  ["#/trash", "Trash"],
  ["#/export", "Export"],
  ["#/groups", "Groups"],
  ["#/profile", "Profile"],
  ["#/account", "Account"],
];

function Nav({ signedIn, path }: { signedIn: Session | null; path: string }) {
  const here = (href: string) => (href.slice(1) === path || (href !== "#/" && path.startsWith(href.slice(1))) ? "page" : undefined);
  return (
    <header class="top">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        Skip to content
      </a>
      <a class="brand" href="#/">printvault</a>
      <nav aria-label="Main">
        <ul>
          {signedIn ? (
            <>
              {LINKS.map(([href, label]) => (
                <li key={href}>
                  <a href={href} aria-current={here(href)}>
                    {label}
                  </a>
                </li>
              ))}
              <li>
                <button type="button" class="link" onClick={() => void signOut()}>
                  Log out
                </button>
              </li>
            </>
          ) : (
            <>
              <li><a href="#/login">Log in</a></li>
              <li><a href="#/register">Register</a></li>
              <li><a href="#/search">Search</a></li>
            </>
          )}
        </ul>
      </nav>
    </header>
  );
}

function Banner() {
  const arrears = useArrears();
  if (!arrears) return null;
  return (
    <div class="banner" role="alert">
      {arrears} <a href="#/invoices">See and pay the unpaid invoice</a>
    </div>
  );
}

function Page({ path, signedIn }: { path: string; signedIn: Session | null }) {
  // Open to everyone.
  if (path.startsWith("/register")) return <Register />;
  if (path.startsWith("/verify")) return <Verify />;
  if (path.startsWith("/login")) return <Login />;
  const link = after(path, "/shared/");
  if (link) return <SharedLink token={link} />;
  if (path.startsWith("/search")) return <Search />;
  if (path.startsWith("/order?") || path === "/order") return <OrderPage />;
  if (path.startsWith("/guest")) return <GuestOrder />;
  if (!signedIn) return <Login />;
  const image = after(path, "/images/");
  if (image) return <ImagePage id={image} />;
  const album = after(path, "/albums/");
  if (album) return <AlbumPage id={album} />;
  const order = after(path, "/orders/");
  if (order) return <OrderDetail id={order} />;
  const proposal = after(path, "/archive/");
  if (proposal) return <ArchiveProposal id={proposal} />;
  if (path.startsWith("/albums")) return <Albums />;
  if (path.startsWith("/shared")) return <SharedWithMe />;
  if (path.startsWith("/orders")) return <Orders />;
  if (path.startsWith("/points")) return <Points />;
  if (path.startsWith("/invoices")) return <Invoices />;
  if (path.startsWith("/archive")) return <Archive />;
  if (path.startsWith("/trash")) return <Trash />;
  if (path.startsWith("/export")) return <ExportPage />;
  if (path.startsWith("/groups")) return <Groups />;
  if (path.startsWith("/profile")) return <ProfilePage />;
  if (path.startsWith("/account")) return <Account session={signedIn} />;
  return <Gallery />;
}

export function App() {
  const path = useRoute();
  const signedIn = useSession();
  // Signed out (log out, or a 401): back to the login page.
  useEffect(() => onSession((s) => s || go("/login")), []);
  useEffect(() => {
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);
  return (
    <>
      <Nav signedIn={signedIn} path={path} />
      <Banner />
      <main id="main" tabIndex={-1}>
        <Page path={path} signedIn={signedIn} />
      </main>
    </>
  );
}
