//! The XMP sidecar beside an original, on a disc (M31) and in an export
//! (X3): its date taken, place and GPS, people, event, keywords and camera,
//! in the namespaces photo software reads. Immich and PhotoPrism read
//! `dc:description`, `dc:subject`, `exif:DateTimeOriginal`, the GPS tags
//! and `digiKam:TagsList`; Lightroom and digiKam the IPTC Extension ones
//! too. printvault's own facts (the image's ID, when it was stored, and for
//! its owner its class and prices) are in the `printvault` namespace.

use crate::access::Class;
use crate::attributes::Attributes;
use crate::classification::Prices;
use crate::when::Timestamp;

/// What a sidecar says of one image.
#[derive(Debug, Clone, Copy)]
pub struct Sidecar<'a> {
    pub image_id: &'a str,
    pub stored_at: Timestamp,
    pub attributes: &'a Attributes,
    /// The owner's own settings (their export); a disc leaves them out.
    pub class: Option<(Class, Option<&'a Prices>)>,
}

impl Sidecar<'_> {
    /// The whole sidecar.
    pub fn render(&self) -> String {
        let a = self.attributes;
        self.xmp(a.people.len(), a.keywords.len())
    }

    /// The sidecar in at most `max` bytes: the people and keyword lists are
    /// cut short, the longer first, until it fits.
    pub fn within(&self, max: usize) -> String {
        let (mut people, mut keywords) = (self.attributes.people.len(), self.attributes.keywords.len());
        loop {
            let xmp = self.xmp(people, keywords);
            if xmp.len() <= max || (people == 0 && keywords == 0) {
                return xmp;
            }
            if keywords >= people {
                keywords -= 1;
            } else {
                people -= 1;
            }
        }
    }

    fn xmp(&self, people: usize, keywords: usize) -> String {
        let a = self.attributes;
        let (people, keywords) = (&a.people[..people], &a.keywords[..keywords]);
        let mut props = vec![
            format!("printvault:ImageId=\"{}\"", esc(self.image_id)),
            format!("printvault:StoredAt=\"{}\"", esc(&self.stored_at.to_string())),
        ];
        if let Some((class, prices)) = self.class {
            props.push(format!("printvault:Class=\"{}\"", class.as_str()));
            if let Some(p) = prices {
                props.push(format!("printvault:PriceL=\"{}\"", p.l.0));
                props.push(format!("printvault:Price2L=\"{}\"", p.two_l.0));
            }
        }
        if let Some(t) = &a.taken_at {
            props.push(format!("exif:DateTimeOriginal=\"{}\"", esc(t)));
            props.push(format!("photoshop:DateCreated=\"{}\"", esc(t)));
        }
        if let Some(c) = &a.camera {
            props.push(format!("tiff:Model=\"{}\"", esc(c)));
        }
        if let Some(e) = &a.event {
            props.push(format!("Iptc4xmpExt:Event=\"{}\"", esc(e)));
        }
        let place = a.place.as_ref();
        if let Some((lat, lon)) = place.and_then(|p| p.latitude.zip(p.longitude)) {
            props.push(format!("exif:GPSLatitude=\"{}\"", gps(lat, 'N', 'S')));
            props.push(format!("exif:GPSLongitude=\"{}\"", gps(lon, 'E', 'W')));
            props.push("exif:GPSVersionID=\"2.3.0.0\"".to_owned());
        }
        let place_name = place.and_then(|p| p.name.as_ref());
        let mut inner = String::new();
        let description: Vec<String> = a
            .event
            .iter()
            .chain(place_name)
            .cloned()
            .chain((!people.is_empty()).then(|| people.join(", ")))
            .collect();
        if !description.is_empty() {
            inner.push_str(&format!(
                "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
                esc(&description.join(" · "))
            ));
        }
        if let Some(name) = place_name {
            inner.push_str(&format!(
                "   <Iptc4xmpExt:LocationCreated><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\
                 <Iptc4xmpExt:LocationName><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt>\
                 </Iptc4xmpExt:LocationName></rdf:li></rdf:Bag></Iptc4xmpExt:LocationCreated>\n",
                esc(name)
            ));
        }
        inner.push_str(&list("Iptc4xmpExt:PersonInImage", "Bag", people));
        inner.push_str(&list("dc:subject", "Bag", keywords));
        // digiKam's hierarchy: people, the event and the place under their
        // own roots, keywords at the top.
        let tags: Vec<String> = people
            .iter()
            .map(|p| format!("People/{}", tag(p)))
            .chain(a.event.iter().map(|e| format!("Events/{}", tag(e))))
            .chain(place_name.map(|p| format!("Places/{}", tag(p))))
            .chain(keywords.iter().map(|k| tag(k)))
            .collect();
        inner.push_str(&list("digiKam:TagsList", "Seq", &tags));
        format!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
             <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
             <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
             \x20 <rdf:Description rdf:about=\"\"\n\
             \x20   xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n\
             \x20   xmlns:exif=\"http://ns.adobe.com/exif/1.0/\"\n\
             \x20   xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\"\n\
             \x20   xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\"\n\
             \x20   xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"\n\
             \x20   xmlns:digiKam=\"http://www.digikam.org/ns/1.0/\"\n\
             \x20   xmlns:printvault=\"https://printvault.example/ns/xmp/1.0/\"\n\
             \x20   {}>\n{inner}  </rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>\n",
            props.join("\n    ")
        )
    }
}

/// A tag for digiKam's hierarchy: `/` separates its levels, so one inside
/// a name is written `|`.
fn tag(s: &str) -> String {
    s.replace('/', "|")
}

fn list(name: &str, kind: &str, items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let lis: String = items
        .iter()
        .map(|i| format!("<rdf:li>{}</rdf:li>", esc(i)))
        .collect();
    format!("   <{name}><rdf:{kind}>{lis}</rdf:{kind}></{name}>\n")
}

/// XMP's GPS coordinate: `DDD,MM.mmmmmmR`.
pub fn gps(v: f64, positive: char, negative: char) -> String {
    let r = if v < 0.0 { negative } else { positive };
    let v = v.abs();
    let degrees = v.trunc();
    format!("{},{:.6}{r}", degrees as u32, (v - degrees) * 60.0)
}

/// Escapes text for XML and HTML, attributes included
/// ([`crate::notice::html_escape`]); control characters (which XML 1.0
/// cannot hold) become spaces first.
pub fn esc(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect();
    crate::notice::html_escape(&clean)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attributes::Place;

    #[test]
    fn the_owners_sidecar_says_what_immich_and_photoprism_read_and_its_class_and_prices() {
        let a = Attributes {
            taken_at: Some("2024-05-03T10:00:00".into()),
            place: Some(Place {
                name: Some("Kyoto/Gion".into()),
                latitude: Some(35.0037),
                longitude: Some(135.7788),
            }),
            people: vec!["Ann".into(), "Bob <b>".into()],
            event: Some("Hanami".into()),
            keywords: vec!["sakura".into()],
            camera: None,
        };
        let prices = Prices {
            l: crate::money::Yen(150),
            two_l: crate::money::Yen(400),
        };
        let s = Sidecar {
            image_id: "img_1",
            stored_at: Timestamp::EPOCH,
            attributes: &a,
            class: Some((Class::Printable, Some(&prices))),
        };
        let xmp = s.render();
        for has in [
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">Hanami · Kyoto/Gion · Ann, Bob &lt;b&gt;</rdf:li>",
            "<dc:subject><rdf:Bag><rdf:li>sakura</rdf:li></rdf:Bag></dc:subject>",
            "exif:DateTimeOriginal=\"2024-05-03T10:00:00\"",
            "exif:GPSLatitude=\"35,0.222000N\"",
            "exif:GPSLongitude=\"135,46.728000E\"",
            "<digiKam:TagsList><rdf:Seq><rdf:li>People/Ann</rdf:li><rdf:li>People/Bob &lt;b&gt;</rdf:li>\
             <rdf:li>Events/Hanami</rdf:li><rdf:li>Places/Kyoto|Gion</rdf:li><rdf:li>sakura</rdf:li></rdf:Seq>",
            "printvault:Class=\"printable\"",
            "printvault:PriceL=\"150\"",
            "printvault:Price2L=\"400\"",
        ] {
            assert!(xmp.contains(has), "{has}\n{xmp}");
        }
        let disc = Sidecar { class: None, ..s };
        assert!(!disc.render().contains("printvault:Class"));
        assert!(disc.within(1500).len() <= 1500);
    }
}
