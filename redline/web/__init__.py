"""What the HTML views and the API share about requests and answers, with no routes of its own:
reading ids and return addresses (params), page or htmx fragment (rendering), answering a
refused write (failures), signing a browser in (browser_session), note markers in HTML."""
