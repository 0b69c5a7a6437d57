export NOTES_ENV=development NOTES_DATABASE_URL=sqlite:////work/rt/r7/rt.db NOTES_BASE_URL=http://127.0.0.1:5007
cd /work/rt/r7
A=.venv/bin/notes-app
