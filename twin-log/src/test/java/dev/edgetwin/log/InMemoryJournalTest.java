package dev.edgetwin.log;

class InMemoryJournalTest extends JournalContractTest {
    @Override
    protected Journal createJournal() {
        return new InMemoryJournal();
    }
}
