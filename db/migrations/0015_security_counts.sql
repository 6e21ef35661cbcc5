CREATE TABLE "security_counts" (
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"first_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "security_counts_kind_subject_hour_pk" PRIMARY KEY("kind","subject","hour")
);
