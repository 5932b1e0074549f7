//! The site's two languages: Polish (the first) and English.
//!
//! Also the one place every user-interface string lives, in both languages,
//! so that a page never mixes them and a missing translation does not compile.

use serde::Serialize;

/// A language the site is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Pl,
    En,
}

impl Lang {
    /// Both languages, Polish first.
    pub const ALL: [Lang; 2] = [Lang::Pl, Lang::En];

    /// Returns the language code used in URLs and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    /// Parses a URL segment (`pl` or `en`).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "pl" => Some(Lang::Pl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Returns the other language, for the language switcher.
    pub fn other(self) -> Lang {
        match self {
            Lang::Pl => Lang::En,
            Lang::En => Lang::Pl,
        }
    }

    /// Returns the position of this language in arrays indexed by language.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Returns the user-interface strings of this language.
    pub fn ui(self) -> &'static Ui {
        match self {
            Lang::Pl => &PL,
            Lang::En => &EN,
        }
    }

    /// Picks the language for a visitor from an `Accept-Language` header.
    ///
    /// Returns Polish when the header is missing, unreadable, prefers neither
    /// language, or likes both equally: Polish is the site's first language.
    pub fn negotiate(accept_language: Option<&str>) -> Lang {
        let Some(header) = accept_language else {
            return Lang::Pl;
        };
        // (weight, position) of the best tag of each language; on equal
        // weights the one listed first wins, as browsers list by preference.
        let mut best: [(f32, usize); 2] = [(0.0, usize::MAX); 2];
        for (position, item) in header.split(',').take(32).enumerate() {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                .filter(|q| q.is_finite())
                .unwrap_or(1.0)
                .clamp(0.0, 1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = if primary.eq_ignore_ascii_case("pl") {
                Lang::Pl
            } else if primary.eq_ignore_ascii_case("en") {
                Lang::En
            } else {
                continue;
            };
            let slot = &mut best[lang.index()];
            if q > slot.0 {
                *slot = (q, position);
            }
        }
        let [pl, en] = best;
        if en.0 > pl.0 || (en.0 == pl.0 && en.0 > 0.0 && en.1 < pl.1) {
            Lang::En
        } else {
            Lang::Pl
        }
    }

    /// Formats a date as people write it in this language ("28 listopada 2026").
    pub fn date(self, (year, month, day): (u16, u8, u8)) -> String {
        const PL_MONTHS: [&str; 12] = [
            "stycznia",
            "lutego",
            "marca",
            "kwietnia",
            "maja",
            "czerwca",
            "lipca",
            "sierpnia",
            "września",
            "października",
            "listopada",
            "grudnia",
        ];
        const EN_MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let m = usize::from(month.clamp(1, 12)) - 1;
        match self {
            Lang::Pl => format!("{day} {} {year}", PL_MONTHS[m]),
            Lang::En => format!("{day} {} {year}", EN_MONTHS[m]),
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Every string of the user interface, for one language.
pub struct Ui {
    pub language_name: &'static str,
    pub site_name: &'static str,
    pub switch_to: &'static str,
    pub tagline: &'static str,
    pub skip_link: &'static str,
    pub breadcrumbs: &'static str,
    pub home: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub paste_title: &'static str,
    pub paste_label: &'static str,
    pub paste_help: &'static str,
    pub paste_privacy: &'static str,
    pub paste_button: &'static str,
    pub paste_example: &'static str,
    pub mail_errors: &'static str,
    pub mail_errors_intro: &'static str,
    pub web_errors: &'static str,
    pub web_errors_intro: &'static str,
    pub updated: &'static str,
    pub toc: &'static str,
    pub related: &'static str,
    pub contact_support: &'static str,
    pub contact_nudge: &'static str,
    pub anchor_label: &'static str,
    pub copy_link: &'static str,
    pub copied: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub not_found_article: &'static str,
    pub identify_title: &'static str,
    pub result_title: &'static str,
    pub result_count_one: &'static str,
    pub result_count_many: &'static str,
    pub result_what: &'static str,
    pub result_who: &'static str,
    pub result_facts: &'static str,
    pub result_read: &'static str,
    pub result_matched: &'static str,
    pub result_your_text: &'static str,
    pub result_again: &'static str,
    pub none_title: &'static str,
    pub none_text: &'static str,
    pub none_search: &'static str,
    pub none_contact: &'static str,
    pub too_large_title: &'static str,
    pub too_large_text: &'static str,
    pub too_large_dropped: &'static str,
    pub limit_label: &'static str,
    pub empty_title: &'static str,
    pub empty_text: &'static str,
    pub code_label: &'static str,
    pub status_label: &'static str,
    pub reason_label: &'static str,
    pub class_label: &'static str,
    pub fact_recipient: &'static str,
    pub fact_sender: &'static str,
    pub fact_remote_host: &'static str,
    pub fact_remote_ip: &'static str,
    pub fact_client_ip: &'static str,
    pub fact_blocklist: &'static str,
    pub fact_smtp_command: &'static str,
    pub blocklist_lookup: &'static str,
    pub actor_sender: &'static str,
    pub actor_recipient_admin: &'static str,
    pub actor_provider: &'static str,
    pub actor_site_owner: &'static str,
    pub actor_visitor: &'static str,
    pub actor_nobody: &'static str,
    pub class_temporary: &'static str,
    pub class_permanent: &'static str,
    pub search_title: &'static str,
    pub search_results_for: &'static str,
    pub search_none: &'static str,
    pub search_count: &'static str,
    pub search_none_help: &'static str,
    pub search_pasted: &'static str,
    pub search_too_long: &'static str,
    pub search_empty: &'static str,
    pub search_all_articles: &'static str,
    pub contact_title: &'static str,
    pub contact_intro: &'static str,
    pub contact_include: &'static str,
    pub contact_items: [&'static str; 5],
    pub contact_channels: &'static str,
    pub contact_form: &'static str,
    pub contact_email: &'static str,
    pub contact_phone: &'static str,
    pub contact_hours: &'static str,
    pub footer: &'static str,
    pub error_title: &'static str,
    pub error_text: &'static str,
    pub rate_limited_title: &'static str,
    pub rate_limited_text: &'static str,
    pub method_not_allowed_title: &'static str,
    pub method_not_allowed_text: &'static str,
    pub unavailable_title: &'static str,
    pub unavailable_text: &'static str,
    pub bad_request_title: &'static str,
    pub bad_request_text: &'static str,
}

static PL: Ui = Ui {
    language_name: "Polski",
    site_name: "diagnoza",
    switch_to: "English",
    tagline: "Pomoc przy zwrotach poczty i błędach stron WWW",
    skip_link: "Przejdź do treści",
    breadcrumbs: "Jesteś tutaj",
    home: "Strona główna",
    search_label: "Szukaj w pomocy",
    search_placeholder: "np. błąd 403, relay access denied, 5.7.1",
    search_button: "Szukaj",
    paste_title: "Co mówi komunikat o błędzie?",
    paste_label: "Wklej zwrot wiadomości, wiersz z logu albo tekst strony z błędem",
    paste_help: "Może to być cała wiadomość zwrotna (z nagłówkami), przekazana dalej wiadomość, jeden wiersz z logu serwera pocztowego albo tekst, który pokazała przeglądarka.",
    paste_privacy: "Tekst służy tylko do rozpoznania błędu: nie zapisujemy go i nie trafia do logów.",
    paste_button: "Rozpoznaj błąd",
    paste_example: "Na przykład: 554 5.7.1 <jan@example.com>: Relay access denied",
    mail_errors: "Błędy poczty e-mail",
    mail_errors_intro: "Zwroty z kodem 554 5.7.1 i ich najczęstsze odmiany.",
    web_errors: "Błędy stron WWW",
    web_errors_intro: "Kody HTTP, które pokazuje przeglądarka, gdy strona nie działa.",
    updated: "Zaktualizowano",
    toc: "Spis treści",
    related: "Powiązane artykuły",
    contact_support: "Skontaktuj się z pomocą techniczną",
    contact_nudge: "Nie udało się rozwiązać problemu?",
    anchor_label: "Link do tej sekcji",
    copy_link: "Kopiuj link",
    copied: "Skopiowano link",
    not_found_title: "Nie ma takiej strony",
    not_found_text: "Pod tym adresem nic nie ma. Może link jest niepełny albo strona zmieniła adres.",
    not_found_article: "Jeśli ten sam komunikat widzisz na własnej stronie, przeczytaj, co oznacza błąd 404 i jak go naprawić.",
    identify_title: "Rozpoznaj błąd",
    result_title: "Wynik",
    result_count_one: "Rozpoznany błąd",
    result_count_many: "Rozpoznane błędy (od najważniejszego)",
    result_what: "Co to znaczy",
    result_who: "Kto musi działać",
    result_facts: "Szczegóły z komunikatu",
    result_read: "Przeczytaj, co zrobić",
    result_matched: "Wiersze, które o tym zdecydowały",
    result_your_text: "Twój tekst (zaznaczone wiersze dały wynik)",
    result_again: "Sprawdź inny komunikat",
    none_title: "Nie rozpoznaliśmy błędu w tym tekście",
    none_text: "Nie znaleźliśmy kodu SMTP, kodu HTTP ani znanego opisu błędu. Najlepiej wklej całą wiadomość zwrotną, razem z nagłówkami, albo pełny tekst strony z błędem.",
    none_search: "Możesz też poszukać artykułu po kilku słowach:",
    none_contact: "Jeśli nadal nie wiesz, co się stało, napisz do nas i dołącz ten tekst.",
    too_large_title: "Tekst jest za długi",
    too_large_text: "Tekst przekracza limit. Wklej tylko wiadomość zwrotną (bez załączników) albo sam fragment z błędem. Twój tekst został w polu poniżej.",
    too_large_dropped: "Tekst jest tak duży, że nie mogliśmy go nawet odczytać, więc nie możemy go pokazać z powrotem. Wklej tylko wiadomość zwrotną (bez załączników) albo sam fragment z błędem.",
    limit_label: "Limit",
    empty_title: "Pole jest puste",
    empty_text: "Wklej treść wiadomości zwrotnej albo komunikatu o błędzie i spróbuj jeszcze raz.",
    code_label: "Kod",
    status_label: "Status rozszerzony",
    reason_label: "Przyczyna",
    class_label: "Rodzaj błędu",
    fact_recipient: "Odbiorca",
    fact_sender: "Nadawca",
    fact_remote_host: "Serwer, który odrzucił",
    fact_remote_ip: "Adres IP tego serwera",
    fact_client_ip: "Zablokowany adres IP",
    fact_blocklist: "Lista blokująca",
    fact_smtp_command: "Etap rozmowy SMTP",
    blocklist_lookup: "sprawdź adres na tej liście",
    actor_sender: "Ty, jako nadawca",
    actor_recipient_admin: "Odbiorca albo administrator jego poczty",
    actor_provider: "My, czyli pomoc techniczna (serwer wysyłający jest nasz)",
    actor_site_owner: "Właściciel lub administrator strony",
    actor_visitor: "Ty, w swojej przeglądarce",
    actor_nobody: "Nikt: to błąd przejściowy, serwer spróbuje ponownie sam",
    class_temporary: "błąd przejściowy (serwer będzie próbował dalej)",
    class_permanent: "błąd trwały (wiadomość nie zostanie dostarczona)",
    search_title: "Szukaj",
    search_results_for: "Wyniki dla",
    search_none: "Nic nie znaleźliśmy.",
    search_count: "Liczba wyników:",
    search_none_help: "Spróbuj innych słów albo samego kodu błędu (np. 403 lub 5.7.1). Jeśli masz treść komunikatu, wklej ją do pola rozpoznawania błędu.",
    search_pasted: "To wygląda na wklejony komunikat o błędzie. Oto, co w nim rozpoznaliśmy:",
    search_too_long: "Zapytanie jest za długie (ponad 200 znaków). Szukamy po jego początku; całe komunikaty lepiej wkleić do pola rozpoznawania błędu.",
    search_empty: "Wpisz kilka słów albo kod błędu.",
    search_all_articles: "Wszystkie artykuły",
    contact_title: "Kontakt z pomocą techniczną",
    contact_intro: "Jeśli artykuł nie pomógł albo błąd dotyczy naszego serwera, napisz do nas. Szybciej pomożemy, gdy od razu dostaniemy wszystko, czego potrzebujemy.",
    contact_include: "Co dołączyć do zgłoszenia",
    contact_items: [
        "Całą wiadomość zwrotną razem z nagłówkami (jako załącznik .eml albo wklejoną w całości) albo pełny tekst strony z błędem lub zrzut ekranu.",
        "Datę i godzinę wysłania wiadomości albo wystąpienia błędu, ze strefą czasową.",
        "Adres nadawcy i odbiorcy albo pełny adres strony (URL), której dotyczy błąd.",
        "Adres IP, jeśli komunikat go podaje (na przykład zablokowany adres serwera).",
        "Co zmieniło się ostatnio: nowa wtyczka, zmiana DNS, przeniesienie domeny, nowe hasło.",
    ],
    contact_channels: "Jak się z nami skontaktować",
    contact_form: "Formularz zgłoszenia",
    contact_email: "E-mail",
    contact_phone: "Telefon",
    contact_hours: "Godziny pracy",
    footer: "diagnoza – pomoc przy błędach poczty i stron WWW.",
    error_title: "Coś poszło nie tak",
    error_text: "Nie udało się obsłużyć tego żądania. Spróbuj ponownie za chwilę.",
    rate_limited_title: "Za dużo zapytań",
    rate_limited_text: "Z tego adresu przyszło w krótkim czasie bardzo dużo zapytań. Odczekaj chwilę i spróbuj ponownie.",
    method_not_allowed_title: "Tej metody tu nie obsługujemy",
    method_not_allowed_text: "Pod tym adresem nie można wysłać takiego żądania. Wróć na stronę główną i spróbuj jeszcze raz.",
    unavailable_title: "Serwer jest chwilowo zajęty",
    unavailable_text: "Nie zdążyliśmy obsłużyć tego żądania. Spróbuj ponownie za chwilę; jeśli wklejasz bardzo długi tekst, wklej krótszy fragment.",
    bad_request_title: "Nieprawidłowe żądanie",
    bad_request_text: "Tego żądania nie udało się odczytać. Wróć na poprzednią stronę i spróbuj jeszcze raz.",
};

static EN: Ui = Ui {
    language_name: "English",
    site_name: "diagnoza",
    switch_to: "Polski",
    tagline: "Help with bounced mail and website errors",
    skip_link: "Skip to content",
    breadcrumbs: "You are here",
    home: "Home",
    search_label: "Search help",
    search_placeholder: "e.g. error 403, relay access denied, 5.7.1",
    search_button: "Search",
    paste_title: "What does the error message say?",
    paste_label: "Paste the bounce, a line from a log, or the text of an error page",
    paste_help: "This can be a whole bounce message (with its headers), a forwarded one, one line from a mail server log, or the text your browser showed.",
    paste_privacy: "The text is used only to identify the error: we do not store it and it never reaches our logs.",
    paste_button: "Identify the error",
    paste_example: "For example: 554 5.7.1 <jan@example.com>: Relay access denied",
    mail_errors: "E-mail errors",
    mail_errors_intro: "Bounces with the code 554 5.7.1 and their most common variants.",
    web_errors: "Website errors",
    web_errors_intro: "HTTP codes a browser shows when a website does not work.",
    updated: "Updated",
    toc: "Contents",
    related: "Related articles",
    contact_support: "Contact support",
    contact_nudge: "Still stuck?",
    anchor_label: "Link to this section",
    copy_link: "Copy link",
    copied: "Link copied",
    not_found_title: "Page not found",
    not_found_text: "There is nothing at this address. The link may be incomplete, or the page may have moved.",
    not_found_article: "If you see the same message on your own website, read what error 404 means and how to fix it.",
    identify_title: "Identify an error",
    result_title: "Result",
    result_count_one: "Error found",
    result_count_many: "Errors found (most important first)",
    result_what: "What it means",
    result_who: "Who has to act",
    result_facts: "Details from the message",
    result_read: "Read what to do",
    result_matched: "Lines that decided it",
    result_your_text: "Your text (the highlighted lines gave the answer)",
    result_again: "Check another message",
    none_title: "We did not recognise an error in this text",
    none_text: "We found no SMTP code, no HTTP status and no known error wording. It works best with the whole bounce message, headers included, or the full text of the error page.",
    none_search: "You can also search the articles with a few words:",
    none_contact: "If you still cannot tell what happened, write to us and include this text.",
    too_large_title: "The text is too long",
    too_large_text: "The text is over the limit. Paste only the bounce (without attachments) or just the part with the error. Your text is still in the box below.",
    too_large_dropped: "The text is so large that we could not even read it, so we cannot give it back. Paste only the bounce (without attachments) or just the part with the error.",
    limit_label: "Limit",
    empty_title: "The box is empty",
    empty_text: "Paste the bounce message or the error text and try again.",
    code_label: "Code",
    status_label: "Enhanced status",
    reason_label: "Reason",
    class_label: "Kind of failure",
    fact_recipient: "Recipient",
    fact_sender: "Sender",
    fact_remote_host: "Server that refused",
    fact_remote_ip: "That server's IP address",
    fact_client_ip: "Blocked IP address",
    fact_blocklist: "Blocklist",
    fact_smtp_command: "SMTP stage",
    blocklist_lookup: "look the address up on this list",
    actor_sender: "You, the sender",
    actor_recipient_admin: "The recipient or their mail administrator",
    actor_provider: "Us, the support team (the sending server is ours)",
    actor_site_owner: "The owner or administrator of the website",
    actor_visitor: "You, in your browser",
    actor_nobody: "Nobody: it is temporary and the server will retry by itself",
    class_temporary: "temporary failure (the server keeps trying)",
    class_permanent: "permanent failure (the message will not be delivered)",
    search_title: "Search",
    search_results_for: "Results for",
    search_none: "Nothing found.",
    search_count: "Results:",
    search_none_help: "Try other words or just the error code (such as 403 or 5.7.1). If you have the message itself, paste it into the error box.",
    search_pasted: "This looks like a pasted error message. Here is what we recognised in it:",
    search_too_long: "The query is too long (over 200 characters). We searched for its beginning; whole messages are better pasted into the error box.",
    search_empty: "Type a few words or an error code.",
    search_all_articles: "All articles",
    contact_title: "Contact support",
    contact_intro: "If an article did not help, or the error is about our server, write to us. We can help faster when we get everything we need at once.",
    contact_include: "What to include",
    contact_items: [
        "The whole bounce message with its headers (as an .eml attachment or pasted in full), or the full text of the error page or a screenshot.",
        "The date and time the message was sent or the error appeared, with the time zone.",
        "The sender's and recipient's addresses, or the full address (URL) of the page with the error.",
        "The IP address, if the message names one (for example a blocked server address).",
        "What changed recently: a new plugin, a DNS change, a domain transfer, a new password.",
    ],
    contact_channels: "How to reach us",
    contact_form: "Support request form",
    contact_email: "E-mail",
    contact_phone: "Phone",
    contact_hours: "Hours",
    footer: "diagnoza – help with bounced mail and website errors.",
    error_title: "Something went wrong",
    error_text: "We could not handle this request. Please try again in a moment.",
    rate_limited_title: "Too many requests",
    rate_limited_text: "Very many requests came from your address in a short time. Please wait a moment and try again.",
    method_not_allowed_title: "This method is not supported here",
    method_not_allowed_text: "This address does not accept that kind of request. Go back to the home page and try again.",
    unavailable_title: "The server is busy right now",
    unavailable_text: "We could not handle this request in time. Please try again in a moment; if you are pasting a very long text, paste a shorter part.",
    bad_request_title: "Bad request",
    bad_request_text: "We could not read this request. Go back to the previous page and try again.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_prefers_polish_when_unsure() {
        assert_eq!(Lang::negotiate(None), Lang::Pl);
        assert_eq!(Lang::negotiate(Some("")), Lang::Pl);
        assert_eq!(Lang::negotiate(Some("de-DE,fr;q=0.8")), Lang::Pl);
        assert_eq!(Lang::negotiate(Some("pl,en")), Lang::Pl);
        assert_eq!(Lang::negotiate(Some("en;q=0,pl;q=0")), Lang::Pl);
        assert_eq!(Lang::negotiate(Some("q=;;,,")), Lang::Pl);
    }

    #[test]
    fn negotiation_follows_weights() {
        assert_eq!(Lang::negotiate(Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(Lang::negotiate(Some("de,en;q=0.7,pl;q=0.3")), Lang::En);
        assert_eq!(Lang::negotiate(Some("en;q=0.5,pl-PL;q=0.8")), Lang::Pl);
        assert_eq!(Lang::negotiate(Some("EN-us")), Lang::En);
        assert_eq!(Lang::negotiate(Some("en,pl")), Lang::En);
    }

    #[test]
    fn dates_read_naturally() {
        assert_eq!(Lang::Pl.date((2026, 11, 28)), "28 listopada 2026");
        assert_eq!(Lang::En.date((2026, 3, 1)), "1 March 2026");
    }
}
