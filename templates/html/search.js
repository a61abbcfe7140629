// Search the web book with Pagefind (its index and scripts are in ../pagefind/).
// Without JavaScript the search form is hidden (see <noscript> in the page's head); where
// this script cannot run (a page opened from disk) it stays hidden too (web.css);
// everything else on the page works without this script.
const form = document.querySelector("form.search");

if (form) {
  document.documentElement.classList.add("search-ready"); // web.css shows the box
  const input = form.querySelector(".search-input");
  const panel = form.querySelector(".search-results");
  const count = form.querySelector(".search-count");
  const list = form.querySelector(".search-list");
  const status = form.querySelector(".search-status");
  const shown = 10;
  // The messages in the book's language (data-messages on the form: {placeholders},
  // and the count's plural forms by the CLDR categories Intl.PluralRules gives).
  const messages = JSON.parse(form.dataset.messages || "{}");
  const plurals = new Intl.PluralRules(document.documentElement.lang || "en");
  const numbers = new Intl.NumberFormat(document.documentElement.lang || "en");
  const say = (key, values, count) => {
    let text = messages[key] ?? key;
    if (typeof text === "object") text = text[plurals.select(count)] ?? text.other;
    return text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  };
  let pagefind = null;
  let latest = 0;

  const load = async () => {
    if (!pagefind) {
      pagefind = await import(new URL("../pagefind/pagefind.js", import.meta.url).href);
      await pagefind.options({ excerptLength: 24 });
      await pagefind.init();
    }
    return pagefind;
  };

  const element = (tag, className, text) => {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  };

  // Pagefind's excerpts are escaped text with <mark> around the matches: rebuild them
  // from that alone rather than trusting them as markup.
  const excerpt = (html) => {
    const paragraph = element("p", "search-excerpt");
    const parsed = new DOMParser().parseFromString(html, "text/html").body;
    for (const node of parsed.childNodes) {
      if (node.nodeName === "MARK") paragraph.append(element("mark", "", node.textContent));
      else paragraph.append(document.createTextNode(node.textContent));
    }
    return paragraph;
  };

  const show = (message, results) => {
    count.textContent = message;
    status.textContent = message;
    list.replaceChildren(...results.map((result) => {
      const item = element("li", "search-result");
      const link = element("a", "search-title", result.meta.title || result.url);
      link.href = result.url;
      item.append(link, excerpt(result.excerpt));
      return item;
    }));
    panel.hidden = false;
  };

  const close = () => {
    panel.hidden = true;
  };

  const run = async () => {
    const query = input.value.trim();
    const mine = ++latest;
    if (!query) {
      close();
      status.textContent = "";
      return;
    }
    try {
      const engine = await load();
      const search = await engine.debouncedSearch(query, {}, 150);
      if (search === null || mine !== latest) return; // a newer query replaced this one
      const results = await Promise.all(search.results.slice(0, shown).map((r) => r.data()));
      if (mine !== latest) return;
      const total = search.results.length;
      const message = total === 0 ? say("search_none", { query })
        : say("search_found", { count: numbers.format(total), query }, total)
          + (total > shown ? say("search_first", { shown: numbers.format(shown) })
            : say("search_all", {}));
      show(message, results);
    } catch (error) {
      show(say("search_unavailable", {}), []);
      console.warn("search:", error);
    }
  };

  input.addEventListener("focus", () => { load().catch(() => {}); }, { once: true });
  input.addEventListener("input", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      close();
      input.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!form.contains(event.target)) close();
  });
  form.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !form.contains(event.relatedTarget)) close();
  });
  input.addEventListener("focus", () => {
    if (input.value.trim() && list.children.length) panel.hidden = false;
  });
}
