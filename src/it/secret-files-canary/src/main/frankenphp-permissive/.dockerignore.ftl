# A user's own .dockerignore that excludes none of the secret-bearing files (only build outputs).
target
vendor
node_modules
